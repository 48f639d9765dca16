package io.agenthive.http;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.server.Route;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.hive.Hive;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.http.edge.HubBinding;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.SchemaBootstrap;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.persistence.readside.ReadSide;
import io.agenthive.security.FirstStart;
import io.agenthive.security.Security;
import io.agenthive.security.SecuritySettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real hub for API tests: its own journal database (see TestDatabase), HTTP on a free port. */
final class ApiTestHub {
  final ActorTestKit kit;
  final Hive hive;

  /** Calls the hub with the first admin key, made as on a first start. */
  final HttpTestClient http;

  final String adminKey;
  final Security security;
  private final SecuritySettings securitySettings;
  private final Route route;

  /** Replaced when the port is closed and opened again ({@link #unplug}, {@link #plugBackIn}). */
  volatile HubBinding binding;

  private ApiTestHub(
      ActorTestKit kit,
      Hive hive,
      HttpTestClient http,
      Security security,
      SecuritySettings securitySettings,
      Route route,
      HubBinding binding) {
    this.kit = kit;
    this.securitySettings = securitySettings;
    this.route = route;
    this.binding = binding;
    this.hive = hive;
    this.http = http;
    this.adminKey = http.credential;
    this.security = security;
  }

  static ApiTestHub start(String name, Path dataDir, String extraConfig) throws Exception {
    // a low bcrypt cost: the tests check passwords, not the cost of guessing them
    Config config =
        ConfigFactory.parseString(
                extraConfig
                    + "\nhive.http.port = 0\n"
                    + "hive.http.auth { bcrypt-cost = 4, admin-key-file = \""
                    + dataDir.resolve("admin.key")
                    + "\", signing-key-file = \""
                    + dataDir.resolve("signing-key.jwk")
                    + "\" }")
            .withFallback(TestDatabase.config(dataDir));
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    ActorTestKit kit = ActorTestKit.create(name, db.journalConfig().withFallback(config));
    Hive hive = HiveTestKit.start(kit);
    HttpSettings settings = HttpSettings.from(kit.system().settings().config());
    HiveEventFeed feed = new HiveEventFeed(kit.system());
    ReadSide readSide =
        ReadSide.start(kit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    SecuritySettings securitySettings = SecuritySettings.from(kit.system().settings().config());
    Security security = Security.start(kit.system(), hive.access(), securitySettings);
    Route route = new ApiRoutes(hive, settings, readSide, feed, "test", security).route();
    HubBinding binding =
        HttpServer.start(kit.system(), settings, securitySettings, route)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    String adminKey = null;
    if (securitySettings.enabled()) {
      FirstStart.ensureAdminKey(
              hive.access(),
              securitySettings,
              new PrintStream(OutputStream.nullOutputStream()),
              "test")
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      adminKey = Files.readString(securitySettings.adminKeyFile()).trim();
    }
    return new ApiTestHub(
        kit,
        hive,
        new HttpTestClient(binding.localAddress().getPort(), adminKey),
        security,
        securitySettings,
        route,
        binding);
  }

  /**
   * Closes the hub's port and its open connections, as a hub gone away looks to its clients; the
   * hive behind it runs on. {@link #plugBackIn} opens the same port again.
   */
  void unplug() {
    terminate(binding);
  }

  /** The same routes on the same port again (the port is free: {@link #unplug} closed it). */
  void plugBackIn() throws Exception {
    int port = http.port;
    HttpSettings settings =
        HttpSettings.from(
            ConfigFactory.parseString("hive.http.port = " + port)
                .withFallback(kit.system().settings().config()));
    binding =
        HttpServer.start(kit.system(), settings, securitySettings, route)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  /**
   * Closes the port and every connection still open on it first: a WebSocket a test abandoned (a
   * worker killed mid-task, a client that never sent its close frame) otherwise keeps its stream
   * alive and holds the actor system's termination past the test kit's deadline.
   */
  void stop() {
    terminate(binding);
    kit.shutdownTestKit();
  }

  private static void terminate(HubBinding binding) {
    binding
        .terminate(java.time.Duration.ofSeconds(2))
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
  }
}
