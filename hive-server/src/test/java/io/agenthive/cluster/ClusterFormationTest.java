package io.agenthive.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.launcher.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the cluster settings become Akka Discovery's, and what a bad setting says. */
class ClusterFormationTest {
  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon + "\nhive.persistence.db = postgres")
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  @Test
  void oneNodeNeedsNothingAndIsLeftAsItIs() {
    Config config = with("");
    assertFalse(ClusterFormation.clustered(config));
    assertEquals(config, ClusterFormation.configure(config));
  }

  @Test
  void contactPointsBecomeTheConfigDiscoveryEndpointsOfTheService() {
    Config c =
        ClusterFormation.configure(
            with(
                """
        hive.cluster { discovery = config, service-name = my-hive,
          contact-points = " 127.0.0.1:8558, 10.0.0.2:9000 " }"""));
    assertEquals("config", c.getString("akka.discovery.method"));
    var endpoints = c.getConfigList("akka.discovery.config.services.my-hive.endpoints");
    assertEquals(2, endpoints.size());
    assertEquals("10.0.0.2", endpoints.get(1).getString("host"));
    assertEquals(9000, endpoints.get(1).getInt("port"));
    assertEquals(
        "my-hive",
        c.getString("akka.management.cluster.bootstrap.contact-point-discovery.service-name"));
  }

  @Test
  void kubernetesFindsPodsByIp() {
    Config c = ClusterFormation.configure(with("hive.cluster.discovery = kubernetes-api"));
    assertEquals("kubernetes-api", c.getString("akka.discovery.method"));
    assertTrue(c.getBoolean("akka.discovery.kubernetes-api.use-raw-ip"));
  }

  @Test
  void theLauncherRefusesABadDiscoveryWithOneSentenceAndExitCode2(@TempDir Path data)
      throws Exception {
    List<String> cmd = ChildJvm.command();
    cmd.addAll(List.of("io.agenthive.launcher.Main", "serve"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("HIVE_DISCOVERY", "dns");
    pb.environment().put("HIVE_DATA_DIR", data.toString());
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(2, p.exitValue(), out);
    assertEquals(
        "HIVE_DISCOVERY must be empty (one node), config or kubernetes-api, not \"dns\".",
        out.lines().reduce((first, last) -> last).orElse(""));
    assertFalse(out.contains("Exception"), out);
  }

  @Test
  void badSettingsAreOnePlainSentenceNamingTheVariable() {
    var unknown =
        assertThrows(
            ClusterFormation.Misconfigured.class,
            () -> ClusterFormation.configure(with("hive.cluster.discovery = dns")));
    assertTrue(unknown.getMessage().startsWith("HIVE_DISCOVERY must be"), unknown.getMessage());
    var none =
        assertThrows(
            ClusterFormation.Misconfigured.class,
            () -> ClusterFormation.configure(with("hive.cluster.discovery = config")));
    assertTrue(none.getMessage().contains("HIVE_CONTACT_POINTS"), none.getMessage());
    var bad =
        assertThrows(
            ClusterFormation.Misconfigured.class,
            () ->
                ClusterFormation.configure(
                    with(
                        "hive.cluster { discovery = config, contact-points = \"host-without-port\" }")));
    assertTrue(bad.getMessage().contains("\"host-without-port\" is not one"), bad.getMessage());
    var h2 =
        assertThrows(
            ClusterFormation.Misconfigured.class,
            () ->
                ClusterFormation.configure(
                    ConfigFactory.parseString(
                            "hive.cluster { discovery = config, contact-points ="
                                + " \"127.0.0.1:8558\" }")
                        .withFallback(ConfigFactory.load())
                        .resolve()));
    assertTrue(
        h2.getMessage().startsWith("A cluster needs one shared PostgreSQL"), h2.getMessage());
  }
}
