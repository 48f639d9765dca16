package io.agenthive.deploy;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The files in deploy/ are run by no other test (CI has no Docker engine and no Kubernetes), so
 * this checks what can be checked without them: they parse, the Kubernetes set has the pieces a
 * cluster needs wired together, every variable they set is one the hub reads (HOCON's {@code
 * ${?HIVE_X}} silently ignores a misspelt one), and the image matches the manifests.
 */
class DeployFilesTest {
  private static final Path ROOT = repositoryRoot();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern CONF_ENV = Pattern.compile("\\$\\{\\?(HIVE_[A-Z0-9_]+)\\}");
  private static final Pattern JAVA_ENV = Pattern.compile("getenv\\(\\s*\"(HIVE_[A-Z0-9_]+)\"");

  @Test
  void everyYamlFileUnderDeployParsesAndEveryKubernetesDocumentIsNamed() throws IOException {
    List<Path> files = yamlFiles(ROOT.resolve("deploy"));
    assertTrue(files.contains(ROOT.resolve("deploy/compose/docker-compose.yml")), "" + files);
    for (Path file : files) {
      assertFalse(documents(file).isEmpty(), file + " holds at least one YAML document");
    }
    List<JsonNode> kube = kubernetes();
    assertTrue(kube.size() >= 8, "the Kubernetes set has its 8 resources: " + kube.size());
    for (JsonNode doc : kube) {
      for (String field : List.of("/apiVersion", "/kind", "/metadata/name")) {
        assertFalse(doc.at(field).asText().isBlank(), "a Kubernetes document lacks " + field);
      }
      // namespace-agnostic: whoever applies them picks the namespace
      assertTrue(doc.at("/metadata/namespace").isMissingNode(), name(doc) + " names a namespace");
    }
  }

  @Test
  void theDeploymentRunsThreeReplicasProbedOnTheManagementPort() throws IOException {
    JsonNode deployment = only("Deployment");
    assertEquals(3, deployment.at("/spec/replicas").asInt(), "replicas");
    // the label Cluster Bootstrap selects the pods by (app=<HIVE_SERVICE_NAME>)
    assertEquals("agent-hive", deployment.at("/spec/template/metadata/labels/app").asText());
    assertEquals("agent-hive", deployment.at("/spec/selector/matchLabels/app").asText());
    JsonNode hub = hubContainer(deployment);
    assertEquals(8558, probePort(hub, "readinessProbe"), "readiness on the management port");
    assertEquals(8558, probePort(hub, "livenessProbe"), "liveness on the management port");
    assertEquals("/ready", hub.at("/readinessProbe/httpGet/path").asText());
    assertEquals("/alive", hub.at("/livenessProbe/httpGet/path").asText());
    assertTrue(
        deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt() >= 20,
        "coordinated shutdown gets the time it needs");
  }

  @Test
  void theDeploymentsServiceAccountMayListPodsThroughItsRoleBinding() throws IOException {
    String account = only("Deployment").at("/spec/template/spec/serviceAccountName").asText();
    assertTrue(
        ofKind("ServiceAccount").stream().anyMatch(a -> name(a).equals(account)),
        "the Deployment's ServiceAccount \"" + account + "\" exists");
    JsonNode binding =
        ofKind("RoleBinding").stream()
            .filter(
                b ->
                    items(b.path("subjects"))
                        .anyMatch(
                            s ->
                                s.path("kind").asText().equals("ServiceAccount")
                                    && s.path("name").asText().equals(account)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no RoleBinding binds " + account));
    assertEquals("Role", binding.at("/roleRef/kind").asText());
    String roleName = binding.at("/roleRef/name").asText();
    JsonNode role =
        ofKind("Role").stream()
            .filter(r -> name(r).equals(roleName))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the bound Role " + roleName + " is missing"));
    assertTrue(
        items(role.path("rules"))
            .anyMatch(
                rule ->
                    texts(rule, "apiGroups").contains("")
                        && texts(rule, "resources").contains("pods")
                        && texts(rule, "verbs").containsAll(List.of("get", "watch", "list"))),
        "the Role grants get, watch and list on pods: " + role.path("rules"));
  }

  @Test
  void theServicesAreAHeadlessOneForBootstrapAndOneForTheApiAndAPdbGuardsThePods()
      throws IOException {
    List<JsonNode> services = ofKind("Service");
    assertTrue(
        services.stream()
            .anyMatch(
                s ->
                    s.at("/spec/clusterIP").asText().equals("None")
                        && s.at("/spec/publishNotReadyAddresses").asBoolean()
                        && s.at("/spec/selector/app").asText().equals("agent-hive")),
        "a headless Service selecting app=agent-hive publishes not-ready pods");
    assertTrue(
        services.stream()
            .anyMatch(
                s ->
                    s.at("/spec/selector/app").asText().equals("agent-hive")
                        && items(s.at("/spec/ports"))
                            .anyMatch(p -> p.path("port").asInt() == 8080)),
        "a Service selecting app=agent-hive exposes the API on 8080");
    JsonNode pdb = only("PodDisruptionBudget");
    assertEquals("agent-hive", pdb.at("/spec/selector/matchLabels/app").asText());
    assertEquals(1, pdb.at("/spec/maxUnavailable").asInt(-1), "maxUnavailable");
  }

  @Test
  void theDatabasePasswordComesFromASecretNeverALiteral() throws IOException {
    List<JsonNode> passwords =
        kubernetes().stream()
            .flatMap(d -> containers(d).stream())
            .flatMap(c -> items(c.path("env")))
            .filter(e -> e.path("name").asText().contains("PASSWORD"))
            .toList();
    assertTrue(
        passwords.stream().anyMatch(e -> e.path("name").asText().equals("HIVE_DB_PASSWORD")),
        "the Deployment sets HIVE_DB_PASSWORD");
    for (JsonNode env : passwords) {
      assertTrue(env.path("value").isMissingNode(), env + " must not be a literal value");
      assertFalse(
          env.at("/valueFrom/secretKeyRef/name").asText().isBlank()
              || env.at("/valueFrom/secretKeyRef/key").asText().isBlank(),
          env + " is a secretKeyRef");
    }
  }

  @Test
  void everyEnvironmentVariableTheDeployFilesSetIsOneTheHubReads() throws IOException {
    Set<String> read = namesTheHubReads();
    // guards the scan itself: had it found nothing, every name would look unknown
    assertTrue(
        read.containsAll(List.of("HIVE_HTTP_PORT", "HIVE_DB_URL", "HIVE_API_KEY")),
        "the scan finds the names in reference.conf and in getenv(...): " + read);
    Map<String, String> set = new TreeMap<>(); // name -> where it is set
    for (JsonNode doc : kubernetes()) {
      containers(doc).stream()
          .flatMap(c -> items(c.path("env")))
          .forEach(e -> set.put(e.path("name").asText(), name(doc)));
    }
    JsonNode compose = documents(ROOT.resolve("deploy/compose/docker-compose.yml")).get(0);
    for (Map.Entry<String, JsonNode> service : compose.path("services").properties()) {
      JsonNode body = service.getValue();
      if (!body.has("build") && !body.path("image").asText().startsWith("agent-hive")) {
        continue; // postgres: its variables are its image's, not the hub's
      }
      JsonNode env = body.path("environment");
      String where = "compose " + service.getKey();
      if (env.isArray()) { // the list form: NAME=value
        items(env).forEach(e -> set.put(e.asText().split("=", 2)[0], where));
      } else {
        env.properties().forEach(e -> set.put(e.getKey(), where));
      }
    }
    instructions("ENV").stream()
        .flatMap(List::stream)
        .map(w -> w.split("=", 2)[0])
        .filter(n -> n.startsWith("HIVE_"))
        .forEach(n -> set.put(n, "Dockerfile"));
    assertTrue(set.size() >= 15, "the deploy files set the cluster's variables: " + set);
    Map<String, String> unknown = new TreeMap<>(set);
    unknown.keySet().removeAll(read);
    assertTrue(unknown.isEmpty(), "set in deploy/ but read nowhere by the hub: " + unknown);
  }

  @Test
  void theDockerfileCopiesTheLauncherItsLibrariesAndConfigAndExposesTheManifestsPorts()
      throws IOException {
    List<String> copied =
        instructions("COPY").stream() // the last word is the target
            .flatMap(words -> words.subList(0, words.size() - 1).stream())
            .toList();
    assertTrue(
        copied.containsAll(
            List.of("hive-server/target/hive.jar", "hive-server/target/lib/", "application.conf")),
        "the image gets the jar, its lib/ and the config: " + copied);
    Set<Integer> used =
        items(hubContainer(only("Deployment")).path("ports"))
            .map(p -> p.path("containerPort").asInt())
            .collect(Collectors.toSet());
    assertEquals(Set.of(8080, 8558, 25520), used, "the Deployment's container ports");
    Set<Integer> exposed =
        instructions("EXPOSE").stream()
            .flatMap(List::stream)
            .map(p -> Integer.parseInt(p.replace("/tcp", "")))
            .collect(Collectors.toSet());
    assertTrue(exposed.containsAll(used), "EXPOSE " + exposed + " covers " + used);
    String entrypoint =
        String.join(
            " ",
            new ObjectMapper()
                .readerForListOf(String.class)
                .<List<String>>readValue(String.join(" ", instructions("ENTRYPOINT").get(0))));
    assertTrue(
        entrypoint.startsWith("java ")
            && entrypoint.contains("-Dconfig.file=/app/application.conf")
            && entrypoint.endsWith("-jar /app/hive.jar"),
        "the entrypoint runs the launcher on the copied config: " + entrypoint);
    String user = instructions("USER").get(0).get(0);
    assertFalse(user.equals("root") || user.startsWith("0"), "the image runs as non-root: " + user);
  }

  /** Walks up from the working directory (the module's) to the one holding deploy/. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("deploy"))
          && Files.isRegularFile(dir.resolve("application.conf"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no deploy/ and application.conf above " + Path.of(""));
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  /** Every document of a multi-document YAML file, empty ones (a trailing ---) left out. */
  private static List<JsonNode> documents(Path file) throws IOException {
    try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
      return docs.readAll().stream().filter(d -> d != null && !d.isNull()).toList();
    }
  }

  private static List<JsonNode> kubernetes() throws IOException {
    List<JsonNode> all = new ArrayList<>();
    for (Path file : yamlFiles(ROOT.resolve("deploy/kubernetes"))) {
      all.addAll(documents(file));
    }
    return all;
  }

  private static List<JsonNode> ofKind(String kind) throws IOException {
    return kubernetes().stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode only(String kind) throws IOException {
    List<JsonNode> found = ofKind(kind);
    assertEquals(1, found.size(), "one " + kind + " in deploy/kubernetes");
    return found.get(0);
  }

  private static String name(JsonNode doc) {
    return doc.at("/metadata/name").asText();
  }

  /** The containers of a pod template (none for kinds without one). */
  private static List<JsonNode> containers(JsonNode doc) {
    return items(doc.at("/spec/template/spec/containers")).toList();
  }

  private static JsonNode hubContainer(JsonNode deployment) {
    return containers(deployment).stream()
        .filter(c -> c.path("image").asText().startsWith("agent-hive:"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container runs the agent-hive image"));
  }

  /** A probe's httpGet port as a number; a named one is looked up in the container's ports. */
  private static int probePort(JsonNode container, String probe) {
    JsonNode port = container.path(probe).at("/httpGet/port");
    return port.isInt()
        ? port.asInt()
        : items(container.path("ports"))
            .filter(p -> p.path("name").asText().equals(port.asText()))
            .findFirst()
            .map(p -> p.path("containerPort").asInt())
            .orElse(-1);
  }

  /** Names in {@code ${?HIVE_...}} of the config files, and in {@code getenv("HIVE_...")}. */
  private static Set<String> namesTheHubReads() throws IOException {
    Set<String> names = new TreeSet<>();
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("application.conf")));
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main"))).toList()) {
        try (Stream<Path> all = Files.walk(module.resolve("src/main"))) {
          all.filter(f -> f.toString().endsWith(".java") || f.endsWith("resources/reference.conf"))
              .forEach(files::add);
        }
      }
    }
    for (Path file : files) {
      Pattern pattern = file.toString().endsWith(".java") ? JAVA_ENV : CONF_ENV;
      pattern.matcher(Files.readString(file)).results().forEach(m -> names.add(m.group(1)));
    }
    return names;
  }

  /**
   * The words after each {@code name} instruction of the Dockerfile: comments dropped, lines
   * continued with a backslash joined.
   */
  private static List<List<String>> instructions(String name) throws IOException {
    String text = Files.readString(ROOT.resolve("deploy/docker/Dockerfile"));
    return Pattern.compile("(?m)^\\s*#.*\\n")
        .matcher(text)
        .replaceAll("")
        .replaceAll("\\\\\\n\\s*", " ")
        .lines()
        .map(l -> List.of(l.strip().split("\\s+")))
        .filter(words -> words.get(0).equals(name))
        .map(w -> w.subList(1, w.size()))
        .toList();
  }

  private static Stream<JsonNode> items(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }

  private static List<String> texts(JsonNode node, String field) {
    return items(node.path(field)).map(JsonNode::asText).toList();
  }
}
