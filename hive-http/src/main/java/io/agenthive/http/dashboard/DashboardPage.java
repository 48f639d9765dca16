package io.agenthive.http.dashboard;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import io.agenthive.http.json.ErrorHandling;
import java.util.List;

/**
 * The web dashboard: one page at {@code /} and its assets under {@code /dashboard/}, all from the
 * jar (no CDN). Both are open, like a login page: the page holds no data, and every call it makes
 * carries the credentials the person logs in with.
 */
public final class DashboardPage {
  private static final String ASSETS = "dashboard";

  private DashboardPage() {}

  public static Route route(String requestId) {
    return concat(
        pathEndOrSingleSlash(
            () ->
                get(
                    () ->
                        // the page is tiny and names its assets; always fetch it fresh so an
                        // upgraded hub never runs with a stale script
                        respondWithHeader(
                            RawHeader.create("Cache-Control", "no-cache"),
                            () ->
                                getFromResource(
                                    ASSETS + "/index.html", ContentTypes.TEXT_HTML_UTF8)))),
        pathPrefix(
            "dashboard",
            () ->
                get(
                    () ->
                        concat(
                            getFromResourceDirectory(ASSETS),
                            complete(
                                ErrorHandling.response(
                                    StatusCodes.NOT_FOUND,
                                    "not_found",
                                    "no such dashboard asset",
                                    List.of(),
                                    requestId,
                                    0))))));
  }
}
