package io.agenthive.security;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import io.agenthive.access.Access;
import java.time.Clock;
import java.util.concurrent.Executor;

/** The parts that guard the API, made once per node from {@link SecuritySettings}. */
public record Security(
    SecuritySettings settings,
    Access access,
    Authenticator authenticator,
    AccessPolicy policy,
    RateLimiter rateLimiter,
    LoginThrottle loginThrottle,
    Passwords passwords,
    HubTokens hubTokens,
    Executor blocking,
    Clock clock) {

  public static Security start(ActorSystem<?> system, Access access, SecuritySettings settings)
      throws Exception {
    Clock clock = Clock.systemUTC();
    // bcrypt, JWKS fetches and OIDC checks may take long: never on the HTTP or actor threads
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    HubTokens hubTokens = HubTokens.load(settings, clock);
    OidcVerifier oidc = settings.oidc().map(OidcVerifier::new).orElse(null);
    return new Security(
        settings,
        access,
        new Authenticator(
            access::keyRing, hubTokens, oidc, settings.workerTokens(), blocking, clock),
        new AccessPolicy(settings.openPaths()),
        new RateLimiter(),
        new LoginThrottle(settings.loginThrottle(), clock),
        new Passwords(settings.bcryptCost(), blocking),
        hubTokens,
        blocking,
        clock);
  }
}
