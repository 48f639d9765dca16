package io.agenthive.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.ServerBuilder;
import akka.http.javadsl.server.Route;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.security.SecuritySettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Binds the API (over HTTPS when a PKCS12 keystore is configured) and unbinds it, draining
 * requests, in coordinated shutdown.
 */
public final class HttpServer {
  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system, HttpSettings settings, SecuritySettings security, Route route)
      throws Exception {
    ServerBuilder server = Http.get(system).newServerAt(settings.host(), settings.port());
    if (security.tls().isPresent()) {
      server = server.enableHttps(ConnectionContext.httpsServer(sslContext(security.tls().get())));
    }
    return server
        .bind(route)
        .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system));
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
