package io.agenthive.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Binds the API and unbinds it, draining requests, in coordinated shutdown. */
public final class HttpServer {
  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, HttpSettings settings,
      Route route) {
    return Http.get(system).newServerAt(settings.host(), settings.port()).bind(route)
        .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system));
  }
}
