package io.agenthive.persistence.subject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hub's master key: it wraps every subject's data key (AES-GCM), so the key table alone, or a
 * backup of it, opens nothing. Kept in a file (32 random bytes, base64), made owner-only on first
 * start; its id (the first 8 bytes of its SHA-256) is stored beside each key it wrapped, so a node
 * given another master key says so instead of failing to open payloads.
 */
final class MasterKey {
  private static final int NONCE_BYTES = 12;
  private final SecretKey key;
  private final String id;
  private final SecureRandom random = new SecureRandom();

  private MasterKey(byte[] bytes) throws GeneralSecurityException {
    this.key = new SecretKeySpec(bytes, "AES");
    this.id =
        HexFormat.of()
            .formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(bytes), 8));
  }

  /** The key in {@code file}, made there first when the file does not exist. */
  static MasterKey load(Path file) throws IOException, GeneralSecurityException {
    if (!Files.exists(file)) {
      make(file);
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IOException("the master key file " + file + " is not base64", e);
    }
    if (bytes.length != 32) {
      throw new IOException("the master key file " + file + " must hold 32 bytes (base64)");
    }
    return new MasterKey(bytes);
  }

  /**
   * Writes a fresh key beside {@code file}, then links it in place: nodes that share the file and
   * start together never read it half written, and the first link wins.
   */
  private static void make(Path file) throws IOException {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    Path dir = Files.createDirectories(file.toAbsolutePath().getParent());
    Path temp =
        Files.createTempFile(
            dir,
            ".master-key-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(temp, Base64.getEncoder().encode(fresh), StandardOpenOption.SYNC);
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException e) {
      // another node sharing the file made it first: theirs is read
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  String id() {
    return id;
  }

  byte[] wrap(byte[] dataKey, String aad) throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, aad).doFinal(dataKey);
    byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
    System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
    return out;
  }

  byte[] unwrap(byte[] wrapped, String aad) throws GeneralSecurityException {
    byte[] nonce = Arrays.copyOf(wrapped, NONCE_BYTES);
    return cipher(Cipher.DECRYPT_MODE, nonce, aad)
        .doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
  }

  private Cipher cipher(int mode, byte[] nonce, String aad) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, key, new GCMParameterSpec(128, nonce));
    c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
    return c;
  }
}
