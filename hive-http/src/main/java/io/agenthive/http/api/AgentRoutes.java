package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.agent.AgentLifecycle.Transition;
import io.agenthive.agent.AgentState;
import io.agenthive.common.FieldError;
import io.agenthive.hive.Hive;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonBody;
import io.agenthive.http.json.Responses;
import io.agenthive.persistence.readside.AgentViewQueries;
import io.agenthive.persistence.readside.ListSort;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/agents}: register, list with filters and paging (from the agent view table), read
 * one, pause, resume, and retire ({@code DELETE}; {@code ?drain=false} hands a running task back
 * instead of finishing it).
 */
public final class AgentRoutes {
  private final Hive hive;
  private final HttpSettings settings;
  private final AgentViewQueries view;

  public AgentRoutes(Hive hive, HttpSettings settings, AgentViewQueries view) {
    this.hive = hive;
    this.settings = settings;
    this.view = view;
  }

  public Route route(String requestId) {
    return pathPrefix(
        "agents",
        () ->
            concat(
                pathEnd(
                    () ->
                        concat(
                            post(() -> register(requestId)),
                            get(() -> parameterMap(params -> list(requestId, params))))),
                pathPrefix(segment(), id -> one(requestId, id))));
  }

  /** {@code /api/agents/{id}}: read it, retire it, pause it, resume it. */
  private Route one(String requestId, String id) {
    return concat(
        pathEnd(() -> concat(get(() -> read(requestId, id)), delete(() -> retire(requestId, id)))),
        path("pause", () -> post(() -> change(requestId, id, Transition.PAUSE, true))),
        path("resume", () -> post(() -> change(requestId, id, Transition.RESUME, true))));
  }

  private Route register(String requestId) {
    return Guard.principal(
        by ->
            JsonBody.json(
                settings.maxBodyBytes(),
                body ->
                    Responses.async(
                        requestId,
                        hive.agents().register(AgentRequest.parse(body), by),
                        agent ->
                            Responses.created("/api/agents/" + agent.id(), Views.agent(agent)))));
  }

  private Route read(String requestId, String id) {
    return Responses.async(
        requestId,
        hive.agents().get(id),
        found ->
            found
                .map(a -> Responses.json(StatusCodes.OK, Views.agent(a)))
                .orElseThrow(() -> ApiError.notFound("agent " + id + " not found")));
  }

  /** {@code ?drain=false}: hand a running task back instead of finishing it. */
  private Route retire(String requestId, String id) {
    return parameterOptional(
        "drain", drain -> change(requestId, id, Transition.RETIRE, drainFlag(drain)));
  }

  private Route change(String requestId, String id, Transition transition, boolean drain) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                hive.agents().changeState(id, transition, drain, by),
                a -> Responses.json(StatusCodes.OK, Views.agent(a))));
  }

  private static boolean drainFlag(Optional<String> drain) {
    return drain
        .map(
            d ->
                switch (d) {
                  case "true" -> true;
                  case "false" -> false;
                  default ->
                      throw ApiError.invalid(
                          List.of(new FieldError("drain", "must be true or false")));
                })
        .orElse(true);
  }

  /** Filters and pages on the agent view table: one page, one query, no actor asked. */
  private Route list(String requestId, Map<String, String> params) {
    Paging paging =
        Paging.from(
            params,
            settings,
            List.of("state", "capability", "type", "q", "order", "before", "sort"));
    AgentState state =
        Optional.ofNullable(params.get("state")).map(AgentRoutes::state).orElse(null);
    var filter =
        new AgentViewQueries.Filter(
            state, params.get("type"), params.get("capability"), Paging.search(params));
    var listed =
        view.page(filter, paging.window(params, ListSort.AGENTS))
            .thenApply(
                page ->
                    new Views.ListPage<>(
                        page.agents().stream().map(Views::agent).toList(),
                        page.cursors().next(),
                        page.cursors().previous(),
                        page.total()));
    return Responses.async(requestId, listed, page -> Responses.json(StatusCodes.OK, page));
  }

  private static AgentState state(String label) {
    for (AgentState s : AgentState.values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw ApiError.invalid(
        List.of(
            new FieldError(
                "state", "must be one of idle, working, paused, failed, retired, disconnected")));
  }
}
