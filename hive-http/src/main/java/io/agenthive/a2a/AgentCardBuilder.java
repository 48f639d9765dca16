package io.agenthive.a2a;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.Uri;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import io.agenthive.agent.Capability;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hive's agent card. One document both versions read: 1.0's {@code supportedInterfaces}, {@code
 * securityRequirements} and ProtoJSON security scheme, and beside them 0.3's {@code url}, {@code
 * preferredTransport}, {@code protocolVersion} and {@code security} (a 1.0 reader ignores them, a
 * 0.3 reader reads only them). Its skills are the capabilities the hive's agents have, one per
 * name, since a task is matched to agents by capability.
 */
final class AgentCardBuilder {
  /** Skills listed at most: a card is read by every caller, and stays small. */
  static final int MAX_SKILLS = 200;

  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  private static final List<String> MODES = List.of("text/plain", "application/json");
  private final String name;
  private final String version;
  private final String publicUrl;

  AgentCardBuilder(String name, String version, String publicUrl) {
    this.name = name;
    this.version = version;
    this.publicUrl = publicUrl;
  }

  /** The JSON-RPC endpoint's URL, as the caller reached the hub (or hive.a2a.public-url). */
  String endpoint(HttpRequest request) {
    if (!publicUrl.isEmpty()) {
      return publicUrl + "/a2a";
    }
    Uri uri = request.getUri();
    String host = uri.getHost().address();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]"; // an IPv6 literal
    }
    return uri.getScheme() + "://" + host + ":" + uri.getPort() + "/a2a";
  }

  ObjectNode card(String endpoint, List<AgentView> agents) {
    ObjectNode card = N.objectNode();
    card.put("name", name);
    card.put(
        "description",
        "Agent Hive: an orchestration hub. A message becomes a task that the hive assigns to the"
            + " best-fitting agent by capability; the task's output comes back as its artifact.");
    card.put("version", version);
    ArrayNode interfaces = card.putArray("supportedInterfaces");
    for (String v : new String[] {"1.0", "0.3"}) {
      interfaces
          .addObject()
          .put("url", endpoint)
          .put("protocolBinding", "JSONRPC")
          .put("protocolVersion", v);
    }
    card.put("url", endpoint);
    card.put("preferredTransport", "JSONRPC");
    card.put("protocolVersion", "0.3.0");
    card.putObject("provider")
        .put("organization", "Agent Hive")
        .put("url", endpoint.substring(0, endpoint.length() - "/a2a".length()));
    card.putObject("capabilities")
        .put("streaming", true)
        .put("pushNotifications", true)
        .put("extendedAgentCard", false);
    ObjectNode bearer = card.putObject("securitySchemes").putObject("bearer");
    String how = "Authorization: Bearer <an API key or token of the hub>";
    bearer.putObject("httpAuthSecurityScheme").put("scheme", "Bearer").put("description", how);
    bearer.put("type", "http").put("scheme", "bearer").put("description", how);
    card.putArray("securityRequirements")
        .addObject()
        .putObject("schemes")
        .putObject("bearer")
        .putArray("list");
    card.putArray("security").addObject().putArray("bearer");
    MODES.forEach(card.putArray("defaultInputModes")::add);
    MODES.forEach(card.putArray("defaultOutputModes")::add);
    ArrayNode skills = card.putArray("skills");
    skills.add(
        skill(
            "task",
            "Any task",
            "A task for whichever agent fits best; name required capabilities in the message's"
                + " metadata (required_capabilities) to narrow it."));
    capabilityCounts(agents).entrySet().stream()
        .limit(MAX_SKILLS)
        .forEach(
            e ->
                skills.add(
                    skill(
                        "capability:" + e.getKey(),
                        e.getKey(),
                        "Tasks needing the capability "
                            + e.getKey()
                            + ": "
                            + e.getValue()
                            + (e.getValue() == 1 ? " agent has it." : " agents have it."))));
    return card;
  }

  private static ObjectNode skill(String id, String name, String description) {
    ObjectNode s = N.objectNode();
    s.put("id", id).put("name", name).put("description", description);
    s.putArray("tags").add(id.startsWith("capability:") ? name : "task");
    MODES.forEach(s.putArray("inputModes")::add);
    MODES.forEach(s.putArray("outputModes")::add);
    return s;
  }

  /** Capability name → how many agents (not retired) have it, by name. */
  static Map<String, Integer> capabilityCounts(List<AgentView> agents) {
    Map<String, Integer> counts = new TreeMap<>();
    for (AgentView a : agents) {
      if (a.state() == AgentState.RETIRED) {
        continue;
      }
      for (Capability c : a.capabilities()) {
        counts.merge(c.name(), 1, Integer::sum);
      }
    }
    return counts;
  }
}
