package io.agenthive.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * API keys and refresh tokens: {@code <prefix>_<id>_<secret>}, a short public id that names it and
 * 256 random bits. Only the SHA-256 of the secret is kept: with that much entropy a slow hash adds
 * nothing, and the check stays cheap enough for every request.
 */
public final class Secrets {
  public static final String KEY_PREFIX = "hk";
  public static final String REFRESH_PREFIX = "hr";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private Secrets() {}

  /** A new secret of the given kind: its id and the whole text handed out once. */
  public record Issued(String id, String text, String hash) {}

  /** A secret's text taken apart (not yet checked against anything). */
  public record Parsed(String id, String secret) {
    public String hash() {
      return sha256(secret);
    }
  }

  public static Issued issue(String prefix) {
    byte[] id = new byte[6];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String idText = HEX.formatHex(id);
    return new Issued(idText, prefix + "_" + idText + "_" + secretText, sha256(secretText));
  }

  /** {@code <prefix>_<12 hex>_<secret>}, or empty when the text is not shaped like one. */
  public static Optional<Parsed> parse(String prefix, String text) {
    if (text == null || !text.startsWith(prefix + "_") || text.length() < prefix.length() + 15) {
      return Optional.empty();
    }
    int idStart = prefix.length() + 1;
    int idEnd = idStart + 12;
    if (text.charAt(idEnd) != '_') {
      return Optional.empty();
    }
    String id = text.substring(idStart, idEnd);
    String secret = text.substring(idEnd + 1);
    return id.chars().allMatch(Secrets::isHex) && !secret.isEmpty()
        ? Optional.of(new Parsed(id, secret))
        : Optional.empty();
  }

  /** Constant time, so a hash cannot be guessed from how long a refusal takes. */
  public static boolean sameHash(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  public static String sha256(String text) {
    try {
      return HEX.formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
