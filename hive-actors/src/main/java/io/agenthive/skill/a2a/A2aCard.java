package io.agenthive.skill.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.skill.guard.EndpointGuards;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the hub needs of a remote agent's card: its name, the JSON-RPC URL to call and the protocol
 * version spoken there, whether it streams, and its skills' ids and tags (capabilities for an agent
 * registered without any). A 1.0 card lists {@code supportedInterfaces}; a 0.3 card has a top-level
 * {@code url}, {@code preferredTransport}, {@code additionalInterfaces} and {@code
 * protocolVersion}. A JSON-RPC interface at 1.x is preferred over one at 0.3.
 */
record A2aCard(
    String name, String rpcUrl, A2aDialect dialect, boolean streaming, List<String> skillTerms) {

  /** A card the hub cannot use; the message says why, for a registration error. */
  static final class Unusable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unusable(String why) {
      super(why);
    }
  }

  /** {@code cardUrl}: where it was read, to resolve a relative interface URL against. */
  static A2aCard parse(JsonNode card, String cardUrl) {
    if (card == null || !card.isObject()) {
      throw new Unusable("the agent card is not a JSON object");
    }
    String name = card.path("name").asText("");
    if (name.isBlank()) {
      throw new Unusable("the agent card has no name");
    }
    Interface chosen = null;
    for (Interface i : interfaces(card)) {
      if (i.dialect() != null
          && (chosen == null || i.dialect().ordinal() < chosen.dialect().ordinal())) {
        chosen = i;
      }
    }
    if (chosen == null) {
      throw new Unusable(
          "the agent card lists no JSON-RPC interface at A2A protocol 1.x or 0.3 (the versions the"
              + " hub speaks)");
    }
    String rpcUrl;
    try {
      rpcUrl = URI.create(cardUrl).resolve(chosen.url()).toString();
    } catch (IllegalArgumentException e) {
      rpcUrl = null;
    }
    if (!EndpointGuards.isHttpUrl(rpcUrl)) {
      throw new Unusable(
          "the agent card's JSON-RPC interface URL is not an http(s) URL: " + chosen.url());
    }
    boolean streaming = card.path("capabilities").path("streaming").asBoolean(false);
    return new A2aCard(name, rpcUrl, chosen.dialect(), streaming, skillTerms(card));
  }

  private record Interface(String url, A2aDialect dialect) {}

  private static List<Interface> interfaces(JsonNode card) {
    List<Interface> out = new ArrayList<>();
    for (JsonNode i : card.path("supportedInterfaces")) {
      if (isJsonRpc(i.path("protocolBinding").asText("")) && i.path("url").isTextual()) {
        out.add(
            new Interface(
                i.path("url").asText(), A2aDialect.of(i.path("protocolVersion").asText(""))));
      }
    }
    // a 0.3 card: its main url and the interfaces it lists beside it, all at its protocolVersion
    A2aDialect cardVersion = A2aDialect.of(card.path("protocolVersion").asText("0.3"));
    if (card.path("url").isTextual()
        && isJsonRpc(card.path("preferredTransport").asText("JSONRPC"))) {
      out.add(new Interface(card.path("url").asText(), cardVersion));
    }
    for (JsonNode i : card.path("additionalInterfaces")) {
      if (isJsonRpc(i.path("transport").asText("")) && i.path("url").isTextual()) {
        out.add(new Interface(i.path("url").asText(), cardVersion));
      }
    }
    return out;
  }

  private static boolean isJsonRpc(String binding) {
    return binding.replace("-", "").toUpperCase(Locale.ROOT).equals("JSONRPC");
  }

  /** The skills' ids, then their tags, as the card lists them (at most 100 looked at). */
  private static List<String> skillTerms(JsonNode card) {
    List<String> terms = new ArrayList<>();
    int seen = 0;
    for (JsonNode skill : card.path("skills")) {
      if (++seen > 100) {
        break;
      }
      if (skill.path("id").isTextual()) {
        terms.add(skill.path("id").asText());
      }
    }
    seen = 0;
    for (JsonNode skill : card.path("skills")) {
      if (++seen > 100) {
        break;
      }
      for (JsonNode tag : skill.path("tags")) {
        if (tag.isTextual()) {
          terms.add(tag.asText());
        }
      }
    }
    return terms;
  }
}
