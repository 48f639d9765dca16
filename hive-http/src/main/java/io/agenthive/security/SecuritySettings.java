package io.agenthive.security;

import com.typesafe.config.Config;
import io.agenthive.access.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code hive.http.auth}, {@code hive.http.cors-origins}, {@code hive.http.public-hosts} and {@code
 * hive.http.tls}, read once.
 */
public record SecuritySettings(
    boolean enabled,
    Path adminKeyFile,
    Path signingKeyFile,
    String issuer,
    Duration accessTokenTtl,
    Duration refreshTokenTtl,
    int bcryptCost,
    List<String> openPaths,
    Optional<Oidc> oidc,
    Map<Role, Limit> rateLimits,
    Limit anonymousLimit,
    LoginThrottleSettings loginThrottle,
    List<String> corsOrigins,
    List<String> publicHosts,
    Optional<Tls> tls,
    List<String> workerTokens) {

  /** A token bucket: refills {@code perSecond}, holds at most {@code burst}. */
  public record Limit(double perSecond, int burst) {}

  public record LoginThrottleSettings(Duration window, int maxPerUser, int maxPerAddress) {}

  public record Oidc(
      String issuer,
      String audience,
      String jwksUrl,
      String rolesClaim,
      Map<String, Role> roleMapping,
      Duration clockSkew,
      Duration jwksCacheTtl,
      Duration jwksRefreshMinInterval) {}

  public record Tls(Path keystore, char[] password) {}

  public static SecuritySettings from(Config root) {
    Config http = root.getConfig("hive.http");
    Config c = http.getConfig("auth");
    Map<Role, Limit> limits = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      limits.put(role, limit(c.getConfig("rate-limits." + role.label())));
    }
    Config t = c.getConfig("login-throttle");
    return new SecuritySettings(
        c.getBoolean("enabled"),
        Path.of(c.getString("admin-key-file")),
        Path.of(c.getString("signing-key-file")),
        c.getString("issuer"),
        c.getDuration("access-token-ttl"),
        c.getDuration("refresh-token-ttl"),
        c.getInt("bcrypt-cost"),
        c.getStringList("open-paths"),
        oidc(c.getConfig("oidc")),
        Map.copyOf(limits),
        limit(c.getConfig("rate-limits.anonymous")),
        new LoginThrottleSettings(
            t.getDuration("window"),
            t.getInt("max-failures-per-user"),
            t.getInt("max-failures-per-address")),
        list(http.getString("cors-origins")),
        list(http.getString("public-hosts")),
        tls(http.getConfig("tls")),
        workerTokens(http.getConfig("workers")));
  }

  private static Limit limit(Config c) {
    return new Limit(c.getDouble("per-second"), c.getInt("burst"));
  }

  private static Optional<Oidc> oidc(Config c) {
    String issuer = c.getString("issuer").trim();
    if (issuer.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Role> mapping = new HashMap<>();
    for (var entry : c.getConfig("role-mapping").entrySet()) {
      String role = entry.getValue().unwrapped().toString();
      mapping.put(
          entry.getKey().replace("\"", ""),
          Role.parse(role)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "hive.http.auth.oidc.role-mapping: "
                              + role
                              + " is not a role (viewer, operator, admin, worker)")));
    }
    String jwks = c.getString("jwks-url").trim();
    return Optional.of(
        new Oidc(
            issuer,
            c.getString("audience").trim(),
            jwks,
            c.getString("roles-claim"),
            Map.copyOf(mapping),
            c.getDuration("clock-skew"),
            c.getDuration("jwks-cache-ttl"),
            c.getDuration("jwks-refresh-min-interval")));
  }

  private static Optional<Tls> tls(Config c) {
    String keystore = c.getString("keystore").trim();
    return keystore.isEmpty()
        ? Optional.empty()
        : Optional.of(new Tls(Path.of(keystore), c.getString("password").toCharArray()));
  }

  private static List<String> workerTokens(Config c) {
    List<String> tokens = new java.util.ArrayList<>(c.getStringList("tokens"));
    if (c.hasPath("token") && !c.getString("token").isBlank()) {
      tokens.add(c.getString("token"));
    }
    return List.copyOf(tokens);
  }

  private static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
