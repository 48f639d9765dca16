package io.agenthive.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import io.agenthive.persistence.audit.JournalSigner;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

/**
 * Signs the journal's checkpoints with the hub's own P-256 key, the one its access tokens are
 * signed with (ECDSA over SHA-256, the JDK's own). A cluster's nodes share that key, so any node's
 * checkpoint verifies on any other.
 */
final class JournalKeySigner implements JournalSigner {
  private final String keyId;
  private final ECPrivateKey privateKey;
  private final ECPublicKey publicKey;

  JournalKeySigner(ECKey key) throws JOSEException {
    this.keyId = key.getKeyID() == null ? "" : key.getKeyID();
    this.privateKey = key.toECPrivateKey();
    this.publicKey = key.toECPublicKey();
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing a checkpoint with the hub's key failed", e);
    }
  }

  @Override
  public boolean verifies(byte[] message, byte[] signature) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(publicKey);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a signature that is not even DER: not ours
    }
  }
}
