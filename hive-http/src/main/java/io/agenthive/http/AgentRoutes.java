package io.agenthive.http;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.agent.AgentLifecycle.Transition;
import io.agenthive.agent.AgentView;
import io.agenthive.common.FieldError;
import io.agenthive.hive.Hive;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code /api/agents}: register, list with filters and paging, read one, pause, resume, and
 * retire ({@code DELETE}; {@code ?drain=false} hands a running task back instead of finishing it).
 */
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
        pathPrefix(segment(), id -> concat(
            pathEnd(() -> concat(
                get(() -> Responses.async(requestId, hive.agent(id), found -> found
                    .map(a -> Responses.json(StatusCodes.OK, Views.agent(a)))
                    .orElseThrow(() -> ApiError.notFound("agent " + id + " not found")))),
                delete(() -> parameterOptional("drain", drain ->
                    change(requestId, id, Transition.RETIRE, drainFlag(drain)))))),
            path("pause", () -> post(() -> change(requestId, id, Transition.PAUSE, true))),
            path("resume", () -> post(() -> change(requestId, id, Transition.RESUME, true)))))));
  }

  private Route change(String requestId, String id, Transition transition, boolean drain) {
    return Responses.async(requestId, hive.changeAgentState(id, transition, drain),
        a -> Responses.json(StatusCodes.OK, Views.agent(a)));
  }

  private static boolean drainFlag(Optional<String> drain) {
    return drain.map(d -> switch (d) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiError.invalid(List.of(
          new FieldError("drain", "must be true or false")));
    }).orElse(true);
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
