package io.agenthive.security;

import io.agenthive.access.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which role may call what: the one table (the README's "Who may do what" is this table, and a test
 * holds them together). A route not listed needs any valid credentials, then finds its 404 or 405.
 * Open routes need none.
 */
public final class AccessPolicy {

  /** One operation: method, path template ({@code {id}} matches one segment), who may call it. */
  public record Rule(String method, String template, Access access, String[] parts) {
    Rule(String method, String template, Access access) {
      this(method, template, access, split(template));
    }

    boolean matches(String m, String[] segments) {
      return method.equals(m) && matchesPath(segments);
    }

    boolean matchesPath(String[] segments) {
      if (parts.length != segments.length) {
        return false;
      }
      for (int i = 0; i < parts.length; i++) {
        if (!parts[i].startsWith("{") && !parts[i].equals(segments[i])) {
          return false;
        }
      }
      return true;
    }
  }

  /** Open to anyone, or the least role that may call it. */
  public record Access(Role role) {
    public static final Access OPEN = new Access(null);

    public boolean open() {
      return role == null;
    }

    public String label() {
      return open() ? "anyone" : role.label();
    }
  }

  private static final Access VIEWER = new Access(Role.VIEWER);
  private static final Access OPERATOR = new Access(Role.OPERATOR);
  private static final Access ADMIN = new Access(Role.ADMIN);
  private static final Access WORKER = new Access(Role.WORKER);

  /** The table, in the README's order. */
  public static final List<Rule> RULES =
      List.of(
          new Rule("GET", "/", Access.OPEN),
          new Rule("GET", "/dashboard/{asset}", Access.OPEN),
          new Rule("GET", "/health", Access.OPEN),
          new Rule("GET", "/ready", Access.OPEN),
          new Rule("GET", "/.well-known/agent-card.json", Access.OPEN),
          new Rule("POST", "/api/auth/login", Access.OPEN),
          new Rule("POST", "/api/auth/refresh", Access.OPEN),
          new Rule("POST", "/api/auth/logout", Access.OPEN),
          new Rule("GET", "/api/auth/me", VIEWER),
          new Rule("GET", "/api/agents", VIEWER),
          new Rule("GET", "/api/agents/{id}", VIEWER),
          new Rule("GET", "/api/agents/{id}/history", VIEWER),
          new Rule("GET", "/api/tasks", VIEWER),
          new Rule("GET", "/api/tasks/{id}", VIEWER),
          new Rule("GET", "/api/tasks/{id}/history", VIEWER),
          new Rule("GET", "/api/tasks/{id}/explain", VIEWER),
          new Rule("GET", "/api/tasks/{id}/result", VIEWER),
          new Rule("GET", "/api/tasks/{id}/stream", VIEWER),
          new Rule("GET", "/api/tasks/{id}/children", VIEWER),
          new Rule("GET", "/api/workflows", VIEWER),
          new Rule("GET", "/api/workflows/{id}", VIEWER),
          new Rule("GET", "/api/workflows/{id}/history", VIEWER),
          new Rule("GET", "/api/approvals", VIEWER),
          // any signed-in caller may try; the approval itself names who may decide (else 403)
          new Rule("POST", "/api/tasks/{id}/decision", VIEWER),
          new Rule("GET", "/api/budgets", VIEWER),
          new Rule("GET", "/api/schedules", VIEWER),
          new Rule("GET", "/api/schedules/{name}", VIEWER),
          new Rule("GET", "/api/schedules/{name}/history", VIEWER),
          new Rule("GET", "/api/hive/status", VIEWER),
          new Rule("GET", "/api/openapi.json", VIEWER),
          new Rule("GET", "/api/events", VIEWER),
          new Rule("GET", "/api/resources", VIEWER),
          new Rule("GET", "/metrics", VIEWER),
          new Rule("GET", "/api/mcp/health", VIEWER),
          // MCP: any key may talk; each tool calls the API as that key, so its role decides
          new Rule("POST", "/api/mcp", VIEWER),
          new Rule("GET", "/mcp", VIEWER),
          new Rule("POST", "/mcp", VIEWER),
          new Rule("DELETE", "/mcp", VIEWER),
          // A2A: the same; each method calls the API as that key (sending needs operator)
          new Rule("POST", "/a2a", VIEWER),
          new Rule("GET", "/ws", VIEWER),
          new Rule("POST", "/api/tasks", OPERATOR),
          new Rule("POST", "/api/tasks/upload", OPERATOR),
          new Rule("POST", "/api/tasks/{id}/cancel", OPERATOR),
          new Rule("POST", "/api/tasks/{id}/retry", OPERATOR),
          new Rule("POST", "/api/tasks/bulk", OPERATOR),
          new Rule("POST", "/api/workflows", OPERATOR),
          new Rule("POST", "/api/workflows/{id}/cancel", OPERATOR),
          new Rule("POST", "/api/tasks/{id}/signals/{name}", OPERATOR),
          new Rule("POST", "/api/workflows/{id}/signals/{name}", OPERATOR),
          new Rule("POST", "/api/agents/{id}/pause", OPERATOR),
          new Rule("POST", "/api/agents/{id}/resume", OPERATOR),
          new Rule("POST", "/api/schedules", OPERATOR),
          new Rule("PATCH", "/api/schedules/{name}", OPERATOR),
          new Rule("DELETE", "/api/schedules/{name}", OPERATOR),
          new Rule("POST", "/api/schedules/{name}/pause", OPERATOR),
          new Rule("POST", "/api/schedules/{name}/resume", OPERATOR),
          new Rule("POST", "/api/schedules/{name}/trigger", OPERATOR),
          new Rule("POST", "/api/agents", ADMIN),
          new Rule("DELETE", "/api/agents/{id}", ADMIN),
          new Rule("PUT", "/api/budgets/{name}", ADMIN),
          new Rule("DELETE", "/api/budgets/{name}", ADMIN),
          new Rule("GET", "/api/audit/events", ADMIN),
          new Rule("GET", "/api/audit/verify", ADMIN),
          new Rule("GET", "/api/hive/state", ADMIN),
          new Rule("GET", "/api/admin/quarantine", ADMIN),
          new Rule("GET", "/api/admin/retention", ADMIN),
          new Rule("POST", "/api/admin/retention/sweep", ADMIN),
          new Rule("DELETE", "/api/subjects/{id}", ADMIN),
          new Rule("GET", "/api/keys", ADMIN),
          new Rule("POST", "/api/keys", ADMIN),
          new Rule("DELETE", "/api/keys/{id}", ADMIN),
          new Rule("GET", "/api/users", ADMIN),
          new Rule("POST", "/api/users", ADMIN),
          new Rule("PATCH", "/api/users/{username}", ADMIN),
          new Rule("DELETE", "/api/users/{username}", ADMIN),
          new Rule("GET", "/ws/worker", WORKER));

  /** Messages a dashboard may send on {@code /ws} that change the hive, and who may send them. */
  public static final Map<String, Role> SOCKET_ACTIONS =
      Map.of(
          "create_task", Role.OPERATOR,
          "create_agent", Role.ADMIN);

  private final List<String> openPaths;

  public AccessPolicy(List<String> openPaths) {
    this.openPaths = List.copyOf(openPaths);
  }

  /** Who may call {@code method path}; empty when no rule names it (then: any credentials). */
  public Optional<Access> accessFor(String method, String path) {
    String m = method.toUpperCase(Locale.ROOT);
    if (m.equals("GET") && openPaths.contains(path)) {
      return Optional.of(Access.OPEN);
    }
    String[] segments = split(path);
    for (Rule rule : RULES) {
      if (rule.matches(m, segments)) {
        return Optional.of(rule.access());
      }
    }
    return Optional.empty();
  }

  /**
   * The operation's path template ({@code /api/tasks/{id}}), for metrics that must not grow with
   * ids; {@code other} for a path no rule names.
   */
  public static String templateOf(String method, String path) {
    String m = method.toUpperCase(Locale.ROOT);
    String[] segments = split(path);
    for (Rule rule : RULES) {
      if (rule.matches(m, segments)) {
        return rule.template();
      }
    }
    for (Rule rule : RULES) {
      if (rule.matchesPath(segments)) {
        return rule.template(); // a documented path called with another method (405)
      }
    }
    return "other";
  }

  /** The table as the README shows it: one row per operation. */
  public static List<String> markdownRows() {
    List<String> rows = new ArrayList<>();
    for (Rule r : RULES) {
      rows.add("| `" + r.method() + " " + r.template() + "` | " + r.access().label() + " |");
    }
    return rows;
  }

  private static String[] split(String path) {
    String trimmed =
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (trimmed.equals("/") || trimmed.isEmpty()) {
      return new String[0]; // "" is what an asterisk-form request ("OPTIONS *") has for a path
    }
    return (trimmed.startsWith("/") ? trimmed.substring(1) : trimmed).split("/", -1);
  }
}
