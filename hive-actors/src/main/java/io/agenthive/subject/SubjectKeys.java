package io.agenthive.subject;

import java.time.Instant;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Where each subject's data key lives. A key is made the first time a subject's payload is sealed;
 * erasing the subject destroys it, and no key is ever made for that subject again. The journal only
 * ever holds payloads sealed with these keys, so a destroyed key erases them.
 */
public interface SubjectKeys {
  /** A data key and its id (the id is sealed into every payload it sealed). */
  record SubjectKey(String id, SecretKey key) {}

  /**
   * The subject's key, made on first use; empty once the subject was erased. May answer from a
   * cache: a key used after its subject was erased elsewhere only seals what no one can open.
   */
  Optional<SubjectKey> keyFor(String subject);

  /**
   * The key with this id, asked of the store itself (never a cache): empty when the subject was
   * erased, so nothing is opened after an erasure, on any node.
   */
  Optional<SecretKey> existing(String subject, String keyId);

  /**
   * Destroys the subject's key; when it was erased (the first erasure's time, if erased before).
   */
  Instant erase(String subject, Instant at);

  /** When the subject was erased, if it was. */
  Optional<Instant> erasedAt(String subject);
}
