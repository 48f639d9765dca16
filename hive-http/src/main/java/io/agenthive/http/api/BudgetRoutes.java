package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.budget.Budget;
import io.agenthive.hive.Hive;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonBody;
import io.agenthive.http.json.JsonFields;
import io.agenthive.http.json.Responses;
import java.util.Set;

/**
 * {@code /api/budgets}: list every budget with its spend in the current period and the holds they
 * make; {@code PUT /api/budgets/{name}} creates or changes one (raising a limit releases what it
 * held); {@code DELETE} removes one.
 */
public final class BudgetRoutes {
  private static final Set<String> FIELDS = Set.of("scope", "target", "metric", "limit", "period");
  private final Hive hive;
  private final HttpSettings settings;

  public BudgetRoutes(Hive hive, HttpSettings settings) {
    this.hive = hive;
    this.settings = settings;
  }

  public Route route(String requestId) {
    return pathPrefix(
        "budgets",
        () ->
            concat(
                pathEnd(() -> get(this::list)),
                path(
                    segment(),
                    name ->
                        concat(
                            put(() -> set(requestId, name)),
                            delete(() -> remove(requestId, name))))));
  }

  private Route list() {
    return complete(
        Responses.json(
            StatusCodes.OK, BudgetViews.list(hive.budgets().all(), hive.budgets().holds())));
  }

  private Route set(String requestId, String name) {
    return Guard.principal(
        by ->
            JsonBody.json(
                settings.maxBodyBytes(),
                body ->
                    Responses.async(
                        requestId,
                        hive.budgets().set(parse(name, body), by),
                        s -> Responses.json(StatusCodes.OK, BudgetViews.budget(s)))));
  }

  private Route remove(String requestId, String name) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                hive.budgets().remove(name, by),
                removed -> Responses.json(StatusCodes.OK, java.util.Map.of("removed", removed))));
  }

  static Budget parse(String name, JsonNode body) {
    JsonFields f = JsonFields.of(body);
    f.rejectUnknown(FIELDS);
    Budget.Scope scope = Budget.parse(Budget.Scope.class, f.string("scope")).orElse(null);
    Budget.Metric metric =
        f.has("metric")
            ? Budget.parse(Budget.Metric.class, f.string("metric")).orElse(null)
            : Budget.Metric.TOKENS;
    Budget.Period period =
        f.has("period")
            ? Budget.parse(Budget.Period.class, f.string("period")).orElse(null)
            : Budget.Period.TOTAL;
    Double limit = f.number("limit");
    Budget b =
        new Budget(name, scope, f.string("target"), metric, limit == null ? -1 : limit, period);
    var errors = new java.util.ArrayList<>(f.errors());
    for (var e : b.validate()) {
      if (errors.stream().noneMatch(x -> x.field().equals(e.field()))) {
        errors.add(e);
      }
    }
    if (!errors.isEmpty()) {
      throw ApiError.invalid(errors);
    }
    return b;
  }
}
