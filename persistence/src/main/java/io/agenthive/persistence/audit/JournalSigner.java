package io.agenthive.persistence.audit;

/**
 * Signs and checks checkpoints with the hub's own key (the one that signs access tokens), so that
 * someone who can write to the database but not read the hub's key file cannot forge one.
 */
public interface JournalSigner {
  String keyId();

  byte[] sign(byte[] message);

  boolean verifies(byte[] message, byte[] signature);
}
