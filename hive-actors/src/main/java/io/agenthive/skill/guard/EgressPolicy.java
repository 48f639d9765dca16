package io.agenthive.skill.guard;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where skills may send requests, and which environment variables they may read secrets from: a
 * skill's config is written by whoever may register agents, and what an endpoint answers becomes a
 * task output a viewer can read, so an unchecked URL or variable name would send host secrets
 * anywhere and read internal services (SSRF). Outbound hosts are checked after DNS resolution, with
 * the JDK's resolver and address predicates: loopback, link-local (cloud metadata), private,
 * unique-local, carrier-grade NAT, multicast and unspecified addresses are refused unless {@code
 * hive.skills.egress-allow} names the host or a range holding the address. Secrets come only from
 * variables on {@code hive.skills.secret-env-allowlist}, never from {@code HIVE_*}.
 */
public final class EgressPolicy implements Extension {
  private final List<Allowed> allowed;
  private final Set<String> secretEnv;

  /** One entry of the allowlist: a host name, or an address range (CIDR). */
  private record Allowed(String host, byte[] network, int prefix) {
    boolean covers(String name, InetAddress address) {
      if (host != null) {
        return host.equalsIgnoreCase(name);
      }
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  EgressPolicy(Config root) {
    Config c = root.getConfig("hive.skills");
    this.allowed = entries(c.getString("egress-allow")).stream().map(EgressPolicy::parse).toList();
    this.secretEnv = Set.copyOf(entries(c.getString("secret-env-allowlist")));
  }

  public static EgressPolicy get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Whether a skill may read a secret from environment variable {@code name}. */
  public boolean secretEnvAllowed(String name) {
    return name != null && !name.startsWith("HIVE_") && secretEnv.contains(name);
  }

  /** Why a skill may not read {@code name}, for a registration's field error. */
  public String secretEnvRefusal(String name) {
    return name != null && name.startsWith("HIVE_")
        ? "must not be one of the hub's own variables (HIVE_*)"
        : "must be a variable listed in hive.skills.secret-env-allowlist (HIVE_SECRET_ENV_ALLOW)";
  }

  /**
   * Checks {@code url}'s host as it resolves now. Blocking (DNS): call it on a dispatcher that may
   * block. Throws a final {@link ProviderFailure} naming the address and the setting when refused.
   */
  public void check(URI url) {
    String host = url.getHost();
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw ProviderFailure.transientError(
          "Endpoint at "
              + Unreachable.hostAndPort(url.toString())
              + " is unreachable: unknown host");
    }
    for (InetAddress a : addresses) {
      String why = internal(a);
      if (why != null && !allows(host, a)) {
        throw new ProviderFailure(
            "egress_denied: "
                + host
                + " resolves to "
                + a.getHostAddress()
                + ", "
                + why
                + "; allow it with hive.skills.egress-allow (HIVE_EGRESS_ALLOW), e.g. "
                + a.getHostAddress()
                + (a.getAddress().length == 4 ? "/32" : "/128"),
            0,
            false,
            null);
      }
    }
  }

  /**
   * For a registration: refused now when the URL's host is an address literal the policy refuses (a
   * host name is checked when it is called, since what it resolves to may change). Null: fine.
   */
  public String refusalOfLiteral(String url) {
    try {
      URI u = URI.create(url);
      String host = u.getHost();
      if (host == null || !isLiteral(host)) {
        return null;
      }
      check(u);
      return null;
    } catch (ProviderFailure f) {
      return f.getMessage();
    } catch (IllegalArgumentException e) {
      return null; // the URL's own check names it
    }
  }

  private boolean allows(String host, InetAddress a) {
    return allowed.stream().anyMatch(e -> e.covers(host, a));
  }

  /** Why an address is internal, or null for a public one. */
  static String internal(InetAddress a) {
    byte[] b = a.getAddress();
    if (a.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (a.isLinkLocalAddress()) {
      return "a link-local address (where cloud metadata services answer)";
    }
    if (a.isSiteLocalAddress() || b.length == 16 && (b[0] & 0xfe) == 0xfc) {
      return "a private address";
    }
    if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
      return "a carrier-grade NAT address";
    }
    if (a.isMulticastAddress()) {
      return "a multicast address";
    }
    if (a.isAnyLocalAddress() || b.length == 4 && b[0] == 0) {
      return "an unspecified address";
    }
    return null;
  }

  private static boolean isLiteral(String host) {
    return host.startsWith("[") || host.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.');
  }

  private static Allowed parse(String entry) {
    int slash = entry.indexOf('/');
    if (slash < 0) {
      return new Allowed(entry.toLowerCase(Locale.ROOT), null, 0);
    }
    try {
      // a literal: getByName parses it without asking DNS
      byte[] network = InetAddress.getByName(entry.substring(0, slash)).getAddress();
      int prefix = Integer.parseInt(entry.substring(slash + 1));
      if (prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException("prefix out of range");
      }
      return new Allowed(null, network, prefix);
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "hive.skills.egress-allow: \"" + entry + "\" is neither a host nor an address/prefix");
    }
  }

  private static List<String> entries(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static final class Id extends ExtensionId<EgressPolicy> {
    static final Id INSTANCE = new Id();

    @Override
    public EgressPolicy createExtension(ActorSystem<?> system) {
      return new EgressPolicy(system.settings().config());
    }
  }
}
