package io.agenthive.http.json;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.headers.Location;
import akka.http.javadsl.server.Route;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Turns values and stages into responses; a failed stage becomes the one error body. */
public final class Responses {
  private Responses() {}

  public static HttpResponse json(StatusCode status, Object body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, Json.bytes(body));
  }

  public static HttpResponse created(String location, Object body) {
    return json(akka.http.javadsl.model.StatusCodes.CREATED, body)
        .addHeader(Location.create(location));
  }

  public static <T> Route async(
      String requestId, CompletionStage<T> stage, Function<T, HttpResponse> onSuccess) {
    return akka.http.javadsl.server.Directives.completeWithFuture(
        stage.handle(
            (value, error) ->
                error == null
                    ? onSuccess.apply(value)
                    : ErrorHandling.toResponse(ErrorHandling.unwrap(error), requestId)));
  }
}
