package io.agenthive.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for hub processes a test starts, kept across their restarts. Chosen below the kernel's
 * ephemeral range: a port from {@code new ServerSocket(0)} is free only at that moment, and a node
 * restarted on it later (after a kill) could find it taken by any outgoing connection (a database
 * client's, the test's own HTTP calls), since those take their local ports from the same range. CI
 * saw exactly that: a restarted node's HTTP port "already in use".
 */
public final class TestPorts {
  private static final Set<Integer> HANDED_OUT = new HashSet<>();
  // Akka's default remote port and the next few (deploy/'s cluster configs count up from it): a
  // hub started without a remote port of its own binds 25520 after its HTTP port was chosen, so
  // an HTTP port of 25520 was free when handed out and taken by the hub's own remoting (CI saw
  // "Bind failed ... 127.0.0.1:25520" once)
  private static final int AKKA_DEFAULT_FROM = 25_520;
  private static final int AKKA_DEFAULT_TO = 25_529;

  private TestPorts() {}

  /** A port free now, below the ephemeral range, not handed out before in this JVM. */
  public static synchronized int free() throws IOException {
    int below = ephemeralLow();
    int from = Math.max(10_000, below - 12_000);
    for (int tries = 0; tries < 200; tries++) {
      int port = ThreadLocalRandom.current().nextInt(from, below);
      if (HANDED_OUT.contains(port) || (port >= AKKA_DEFAULT_FROM && port <= AKKA_DEFAULT_TO)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        HANDED_OUT.add(port);
        return port;
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IOException("no free port between " + from + " and " + below);
  }

  /** The lowest port the kernel hands to outgoing connections (32768 where it cannot be read). */
  static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > 11_000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
