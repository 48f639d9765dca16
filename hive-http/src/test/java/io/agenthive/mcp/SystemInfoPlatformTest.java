package io.agenthive.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The seed's platform string from what the JVM calls the OS and the architecture. */
class SystemInfoPlatformTest {
  @Test
  void theOsFamilyAndTheToolchainsArchitecture() {
    assertEquals("linux-x86_64", SystemInfo.platform("Linux 6.8.0-45-generic", "amd64"));
    assertEquals("linux-aarch64", SystemInfo.platform("Linux 6.1", "aarch64"));
    assertEquals("macos-aarch64", SystemInfo.platform("Mac OS X 14.5", "arm64"));
    assertEquals("windows-x86_64", SystemInfo.platform("Windows 11 10.0", "x86_64"));
    assertEquals("freebsd-riscv64", SystemInfo.platform("FreeBSD 14.0", "riscv64"));
    assertEquals("unknown-unknown", SystemInfo.platform("", ""));
  }
}
