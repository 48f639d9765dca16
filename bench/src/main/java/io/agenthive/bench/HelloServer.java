package io.agenthive.bench;

import static akka.http.javadsl.server.Directives.*;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.Http;
import com.typesafe.config.ConfigFactory;

/**
 * The HTTP scenario's ceiling: akka-http answering {@code GET /hello} with a constant, in a JVM
 * started with the hub's settings. What the server stack alone can do on this machine.
 */
public final class HelloServer {
  private HelloServer() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "hello",
            ConfigFactory.parseString("akka.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
    Http.get(system)
        .newServerAt("127.0.0.1", port)
        .bind(path("hello", () -> get(() -> complete("hello"))))
        .thenAccept(b -> System.out.println("hello ready on " + b.localAddress()));
  }
}
