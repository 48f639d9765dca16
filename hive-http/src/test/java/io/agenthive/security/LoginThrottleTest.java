package io.agenthive.security;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Only failures count against an address: people signing in through one proxy stay welcome. */
class LoginThrottleTest {
  static final String PROXY = "10.0.0.1";

  LoginThrottle throttle() {
    return new LoginThrottle(
        new SecuritySettings.LoginThrottleSettings(Duration.ofMinutes(5), 5, 3),
        Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void successfulLoginsThroughOneAddressNeverFillItsCount() {
    LoginThrottle t = throttle();
    for (int i = 0; i < 10; i++) {
      assertTrue(t.tryLogin("user-" + i, PROXY).isEmpty(), "login " + i);
      t.succeeded("user-" + i, PROXY);
    }
  }

  @Test
  void failuresThroughOneAddressDoFillIt() {
    LoginThrottle t = throttle();
    for (int i = 0; i < 3; i++) {
      assertTrue(t.tryLogin("guess-" + i, PROXY).isEmpty(), "try " + i);
    }
    assertTrue(
        t.tryLogin("guess-3", PROXY).isPresent(), "the fourth failure from one address waits");
    assertTrue(t.tryLogin("someone", "10.0.0.2").isEmpty(), "another address is not concerned");
  }
}
