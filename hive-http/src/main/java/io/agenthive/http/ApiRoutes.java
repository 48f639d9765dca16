package io.agenthive.http;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import io.agenthive.a2a.A2aRoutes;
import io.agenthive.hive.Hive;
import io.agenthive.http.api.AccessRoutes;
import io.agenthive.http.api.AgentRoutes;
import io.agenthive.http.api.ApprovalRoutes;
import io.agenthive.http.api.AuditRoutes;
import io.agenthive.http.api.AuthRoutes;
import io.agenthive.http.api.BudgetRoutes;
import io.agenthive.http.api.DatasetRoutes;
import io.agenthive.http.api.QuarantineRoutes;
import io.agenthive.http.api.RetentionRoutes;
import io.agenthive.http.api.ScheduleRoutes;
import io.agenthive.http.api.StatusRoutes;
import io.agenthive.http.api.SubjectRoutes;
import io.agenthive.http.api.TaskRoutes;
import io.agenthive.http.api.TaskStreamRoutes;
import io.agenthive.http.api.WorkflowRoutes;
import io.agenthive.http.dashboard.DashboardFeed;
import io.agenthive.http.dashboard.DashboardPage;
import io.agenthive.http.dashboard.DashboardSocket;
import io.agenthive.http.events.EventRoutes;
import io.agenthive.http.guard.BodyDrain;
import io.agenthive.http.guard.BrowserHeaders;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.guard.HostCheck;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.guard.OriginCheck;
import io.agenthive.http.guard.UriCheck;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.ErrorHandling;
import io.agenthive.http.metrics.MetricsRoutes;
import io.agenthive.http.metrics.RequestTracing;
import io.agenthive.http.workersocket.WorkerSettings;
import io.agenthive.http.workersocket.WorkerSocket;
import io.agenthive.mcp.McpRoutes;
import io.agenthive.mcp.McpSettings;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.audit.JournalAudit;
import io.agenthive.persistence.readside.ReadSide;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.persistence.retention.TaskRetention;
import io.agenthive.security.Security;
import io.agenthive.tracing.HiveTracing;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The whole HTTP API. Every response carries {@code X-Request-Id} (the client's, when it sent a
 * sane one) and the browser headers; every request passes the {@link Guard} (who, may they, not too
 * fast) before a route sees it; every error, rejection or exception becomes the one error body.
 */
public final class ApiRoutes {
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
  private final AgentRoutes agents;
  private final TaskRoutes tasks;
  private final TaskStreamRoutes taskStreams;
  private final WorkflowRoutes workflows;
  private final BudgetRoutes budgets;
  private final ApprovalRoutes approvals;
  private final ScheduleRoutes schedules;
  private final StatusRoutes status;
  private final EventRoutes events;
  private final DashboardSocket dashboard;
  private final AuditRoutes audit;
  private final QuarantineRoutes quarantine;
  private final RetentionRoutes retention;
  private final SubjectRoutes subjects;
  private final WorkerSocket workers;
  private final DatasetRoutes datasets;
  private final AuthRoutes auth;
  private final AccessRoutes access;
  private final McpRoutes mcp;
  private final A2aRoutes a2a;
  private final MetricsRoutes metrics;
  private final RequestTracing tracing;
  private final Guard guard;
  private final BrowserHeaders browser;
  private final HostCheck hosts;
  private final OriginCheck origins;
  private final long maxBodyBytes;
  private volatile akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> self;

  public ApiRoutes(
      Hive hive,
      HttpSettings settings,
      ReadSide readSide,
      HiveEventFeed feed,
      String version,
      Security security) {
    this.guard = new Guard(security);
    this.maxBodyBytes = settings.maxBodyBytes();
    this.browser =
        new BrowserHeaders(
            security.settings().corsOrigins(), security.settings().tls().isPresent());
    this.hosts = HostCheck.from(security.settings());
    this.origins = new OriginCheck(security.settings().corsOrigins());
    this.auth = new AuthRoutes(security, settings);
    this.access = new AccessRoutes(security, settings);
    TaskViewQueries tasks = readSide.tasks();
    this.events = new EventRoutes(feed, settings.maxEventStreams());
    this.audit =
        new AuditRoutes(
            hive,
            feed,
            JournalAudit.start(
                hive.system(),
                DatabaseSettings.from(hive.system().settings().config())::connect,
                security.hubTokens().journalSigner()));
    this.quarantine = new QuarantineRoutes(hive);
    this.retention =
        new RetentionRoutes(
            TaskRetention.start(
                hive.system(),
                DatabaseSettings.from(hive.system().settings().config())::connect,
                security.hubTokens().journalSigner()));
    String hiveId = hive.system().settings().config().getString("hive.id");
    this.dashboard =
        new DashboardSocket(
            hive,
            new DashboardFeed(
                hive,
                readSide,
                feed,
                settings.dashboardInterval(),
                settings.dashboardRecentTasks()),
            hiveId,
            settings.dashboardMaxMessageChars(),
            settings.dashboardChangeBuffer(),
            settings.dashboardMaxConnections());
    this.metrics =
        new MetricsRoutes(hive, this.dashboard::connectedClients, this.events::openStreams);
    this.tracing = new RequestTracing(HiveTracing.get(hive.system()));
    this.agents = new AgentRoutes(hive, settings, readSide.agents());
    this.approvals = new ApprovalRoutes(hive, settings, tasks);
    this.subjects = new SubjectRoutes(hive, readSide, feed);
    this.tasks = new TaskRoutes(hive, settings, tasks, approvals, subjects);
    this.taskStreams = new TaskStreamRoutes(hive);
    this.workflows = new WorkflowRoutes(hive, settings, tasks);
    this.budgets = new BudgetRoutes(hive, settings);
    this.schedules = new ScheduleRoutes(hive, settings);
    this.datasets = new DatasetRoutes(hive);
    this.status = new StatusRoutes(hive, version);
    this.workers = new WorkerSocket(hive, WorkerSettings.from(hive.system().settings().config()));
    this.mcp =
        new McpRoutes(
            hive.system(),
            version,
            McpSettings.from(hive.system().settings().config()),
            security.hubTokens(),
            () -> self(hive));
    // the card's skills: the capabilities of the first agents (a card stays small)
    this.a2a =
        new A2aRoutes(hive.system(), version, () -> self(hive), () -> readSide.agents().first(500));
  }

  /**
   * The whole tree as a function, for MCP's tools and A2A: they call the API as their caller does.
   */
  private akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> self(Hive hive) {
    if (self == null) {
      self = route().handler(hive.system());
    }
    return self;
  }

  public Route route() {
    return extractRequest(
        request -> {
          String requestId = requestId(request);
          // the outermost handler only for a failure of the metrics or tracing themselves
          return handleExceptions(
              ErrorHandling.exceptions(requestId), () -> measured(request, requestId));
        });
  }

  /** Timed and traced, every answer with its request id. */
  private Route measured(HttpRequest request, String requestId) {
    return metrics.timed(
        request,
        () ->
            tracing.traced(
                request,
                () ->
                    respondWithHeader(
                        RawHeader.create("X-Request-Id", requestId), () -> answered(requestId))));
  }

  /** The browser headers outside the error handling, so errors carry them too. */
  private Route answered(String requestId) {
    return withRequestTimeoutResponse(
        r -> requestTimedOut(requestId), () -> browser.route(requestId, () -> handled(requestId)));
  }

  /** Every error and rejection in the one error body; bodies read before anything refuses them. */
  private Route handled(String requestId) {
    return handleExceptions(
        ErrorHandling.exceptions(requestId),
        () ->
            handleRejections(
                ErrorHandling.rejections(requestId), () -> discardingUnread(requestId)));
  }

  /** A body nobody read is dropped after the answer; what the checks throw is answered inside. */
  private Route discardingUnread(String requestId) {
    return BodyDrain.discardingUnread(
        maxBodyBytes,
        () -> handleExceptions(ErrorHandling.exceptions(requestId), () -> checked(requestId)));
  }

  /**
   * Cheap checks first: the Host (DNS rebinding), the Origin (other sites' pages), control
   * characters in the URI, then who is calling and how often; only then is a body read (and kept,
   * within the limit) for the routes.
   */
  private Route checked(String requestId) {
    return hosts.route(() -> origins.route(() -> UriCheck.route(() -> admitted(requestId))));
  }

  private Route admitted(String requestId) {
    return guard.route(() -> BodyDrain.drained(maxBodyBytes, () -> routes(requestId)));
  }

  /**
   * akka-http's answer when a route takes longer than {@code hive.http.request-timeout}, in the one
   * error body; it is made outside the route tree, so it carries its headers itself.
   */
  private HttpResponse requestTimedOut(String requestId) {
    return ErrorHandling.response(
            StatusCodes.SERVICE_UNAVAILABLE,
            "request_timeout",
            "the hub did not answer within hive.http.request-timeout (HIVE_HTTP_REQUEST_TIMEOUT);"
                + " retry, or look for the request id in the hub's log",
            List.of(),
            requestId,
            2)
        .addHeader(RawHeader.create("X-Request-Id", requestId));
  }

  private Route routes(String requestId) {
    return concat(
        DashboardPage.route(requestId),
        metrics.route(),
        status.route(requestId),
        mcp.streamable(),
        a2a.route(),
        sockets(),
        pathPrefix("api", () -> api(requestId)));
  }

  /** {@code /ws}: the dashboard's feed and the workers' socket. */
  private Route sockets() {
    return pathPrefix(
        "ws",
        () ->
            concat(
                pathEnd(() -> get(() -> dashboardRoute())),
                path("worker", () -> get(workers::route))));
  }

  /** Inside {@code /api}, tried in this order. */
  private Route api(String requestId) {
    return concat(
        auth.route(requestId),
        access.route(requestId),
        audit.route(requestId),
        quarantine.route(requestId),
        retention.route(requestId),
        subjects.route(requestId),
        agents.route(requestId),
        datasets.route(requestId),
        taskStreams.route(),
        tasks.route(requestId),
        approvals.route(requestId),
        workflows.route(requestId),
        budgets.route(requestId),
        schedules.route(requestId),
        status.hiveStatus(requestId),
        status.resources(),
        events.route(requestId),
        mcp.plain(),
        status.openApi());
  }

  private Route dashboardRoute() {
    if (!dashboard.hasRoom()) {
      throw new ApiError(
          StatusCodes.SERVICE_UNAVAILABLE,
          "too_many_connections",
          "the dashboard feed is full; retry later",
          List.of(),
          5);
    }
    return Guard.principal(
        caller ->
            Guard.liveAccess(
                live -> handleWebSocketMessages(dashboard.flow(caller).via(live.cut()))));
  }

  private static String requestId(HttpRequest request) {
    return request
        .getHeader("X-Request-Id")
        .map(h -> h.value())
        .filter(v -> CLIENT_ID.matcher(v).matches())
        .orElseGet(() -> UUID.randomUUID().toString());
  }
}
