package io.agenthive.http;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.hive.Hive;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.readside.ReadSide;
import io.agenthive.persistence.SchemaBootstrap;
import io.agenthive.persistence.TestDatabase;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real hub for API tests: its own journal database (see TestDatabase), HTTP on a free port. */
final class ApiTestHub {
  final ActorTestKit kit;
  final Hive hive;
  final HttpTestClient http;

  private ApiTestHub(ActorTestKit kit, Hive hive, HttpTestClient http) {
    this.kit = kit;
    this.hive = hive;
    this.http = http;
  }

  static ApiTestHub start(String name, Path dataDir, String extraConfig) throws Exception {
    Config config = ConfigFactory.parseString(extraConfig + "\nhive.http.port = 0")
        .withFallback(TestDatabase.config(dataDir));
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    ActorTestKit kit = ActorTestKit.create(name, db.journalConfig().withFallback(config));
    Hive hive = HiveTestKit.start(kit);
    HttpSettings settings = HttpSettings.from(kit.system().settings().config());
    HiveEventFeed feed = new HiveEventFeed(kit.system());
    ReadSide readSide =
        ReadSide.start(kit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    ServerBinding binding = HttpServer.start(kit.system(), settings, new ApiRoutes(hive, settings,
            readSide, feed, "test").route())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new ApiTestHub(kit, hive, new HttpTestClient(binding.localAddress().getPort()));
  }

  void stop() {
    kit.shutdownTestKit();
  }
}
