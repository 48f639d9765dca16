package io.agenthive.bench;

import static akka.http.javadsl.server.Directives.*;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.Http;
import akka.http.javadsl.server.Route;
import com.typesafe.config.ConfigFactory;
import io.agenthive.http.edge.ConnectionSettings;
import io.agenthive.http.edge.Listener;
import java.util.Optional;

/**
 * The HTTP scenario's ceiling: akka-http answering {@code GET /hello} with a constant, in a JVM
 * started with the hub's settings. What the server stack alone can do on this machine. With a
 * second argument {@code listener}, the same route behind the hub's own listener (connection caps
 * per address, the header deadline, the idle timeout), with its default limits: what those limits
 * cost, measured against the plain binding in the same run.
 */
public final class HelloServer {
  private HelloServer() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    boolean listener = args.length > 1 && args[1].equals("listener");
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "hello",
            ConfigFactory.parseString("akka.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
    Route hello = path("hello", () -> get(() -> complete("hello")));
    if (listener) {
      Listener.bind(
              system,
              "127.0.0.1",
              port,
              ConnectionSettings.from(system.settings().config()),
              Optional.empty(),
              hello.handler(system))
          .thenAccept(b -> System.out.println("hello ready behind the hub's listener"));
    } else {
      Http.get(system)
          .newServerAt("127.0.0.1", port)
          .bind(hello)
          .thenAccept(b -> System.out.println("hello ready on " + b.localAddress()));
    }
  }
}
