-- Subjects' data keys (docs/erasure.md): one row per subject, its AES key wrapped with the hub's
-- master key (AES-GCM: 12-byte nonce, then ciphertext and tag). Erasing a subject clears its key
-- and keeps the row, so no key is ever made for that subject again. The same DDL on H2 and
-- PostgreSQL (BYTEA is H2's name for VARBINARY too).
CREATE TABLE IF NOT EXISTS hive_subject_key (
  subject VARCHAR(128) PRIMARY KEY,
  key_id VARCHAR(64),
  wrapped_key BYTEA,
  master_id VARCHAR(16),
  created_at_ms BIGINT NOT NULL,
  erased_at_ms BIGINT
);
