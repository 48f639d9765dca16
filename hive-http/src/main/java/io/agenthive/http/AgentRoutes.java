package io.agenthive.http;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.agent.AgentView;
import io.agenthive.hive.Hive;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** {@code /api/agents}: register, list with filters and paging, read one. */
final class AgentRoutes {
  private final Hive hive;
  private final HttpSettings settings;

  AgentRoutes(Hive hive, HttpSettings settings) {
    this.hive = hive;
    this.settings = settings;
  }

  Route route(String requestId) {
    return pathPrefix("agents", () -> concat(
        pathEnd(() -> concat(
            post(() -> JsonBody.json(settings.maxBodyBytes(), body ->
                Responses.async(requestId, hive.registerAgent(AgentRequest.parse(body)),
                    agent -> Responses.created("/api/agents/" + agent.id(),
                        Views.agent(agent))))),
            get(() -> parameterMap(params -> list(requestId, params))))),
        path(segment(), id -> pathEnd(() -> get(() ->
            Responses.async(requestId, hive.agent(id), found -> found
                .map(a -> Responses.json(StatusCodes.OK, Views.agent(a)))
                .orElseThrow(() -> ApiError.notFound("agent " + id + " not found"))))))));
  }

  private Route list(String requestId, Map<String, String> params) {
    Paging paging = Paging.from(params, settings, List.of("state", "capability", "type"));
    Predicate<AgentView> filter = a -> true;
    Optional<String> state = Optional.ofNullable(params.get("state"));
    Optional<String> capability = Optional.ofNullable(params.get("capability"));
    Optional<String> type = Optional.ofNullable(params.get("type"));
    if (state.isPresent()) {
      filter = filter.and(a -> a.state().label().equals(state.get()));
    }
    if (capability.isPresent()) {
      filter = filter.and(a -> a.capabilities().stream()
          .anyMatch(c -> c.name().equals(capability.get())));
    }
    if (type.isPresent()) {
      filter = filter.and(a -> a.type().equals(type.get()));
    }
    Predicate<AgentView> keep = filter;
    return Responses.async(requestId, hive.agents(), all -> Responses.json(StatusCodes.OK,
        paging.page(all.stream().filter(keep).toList(), AgentView::id, Views::agent)));
  }
}
