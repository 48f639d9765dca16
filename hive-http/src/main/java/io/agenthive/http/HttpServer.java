package io.agenthive.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.server.Route;
import io.agenthive.http.edge.ConnectionSettings;
import io.agenthive.http.edge.HubBinding;
import io.agenthive.http.edge.Listener;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.security.SecuritySettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Binds the API (over HTTPS when a PKCS12 keystore is configured) with the connection limits of
 * {@code hive.http.connections} ({@link Listener}), and unbinds it, draining requests, in
 * coordinated shutdown.
 */
public final class HttpServer {
  private HttpServer() {}

  public static CompletionStage<HubBinding> start(
      ActorSystem<?> system, HttpSettings settings, SecuritySettings security, Route route)
      throws Exception {
    Optional<SSLContext> tls =
        security.tls().isPresent()
            ? Optional.of(sslContext(security.tls().get()))
            : Optional.empty();
    return Listener.bind(
            system,
            settings.host(),
            settings.port(),
            ConnectionSettings.from(system.settings().config()),
            tls,
            route.handler(system))
        .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(10)));
  }

  private static SSLContext sslContext(SecuritySettings.Tls tls) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(tls.keystore())) {
      store.load(in, tls.password());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, tls.password());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
