package io.agenthive.live;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** The live-output cap must fit in one remoting frame, or a follower elsewhere gets no text. */
class MaxPartialBytesTest {
  static Config with(String setting) {
    return ConfigFactory.parseString(setting).withFallback(ConfigFactory.load());
  }

  @Test
  void theDefaultFits() {
    assertEquals(64 * 1024, LiveRun.maxPartialBytes(ConfigFactory.load()));
  }

  @Test
  void aCapLargerThanAFrameIsRefusedNamingBothSettings() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LiveRun.maxPartialBytes(with("hive.streaming.max-partial-bytes = 4MiB")));
    assertTrue(e.getMessage().contains("maximum-frame-size"), e.getMessage());
    assertTrue(e.getMessage().contains("max-partial-bytes"), e.getMessage());
  }

  @Test
  void aLargerFrameAllowsALargerCap() {
    assertEquals(
        4L * 1024 * 1024,
        LiveRun.maxPartialBytes(
            with(
                "hive.streaming.max-partial-bytes = 4MiB\n"
                    + "akka.remote.artery.advanced.maximum-frame-size = 8MiB")));
  }
}
