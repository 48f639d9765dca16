-- Tamper evidence (docs/audit.md). Every event's SHA-256, chained to the previous event of the same
-- entity, written in the journal write's own transaction; the hash rows are keyed like the
-- journal's rows and remember the ordering the event was written at, so a moved row shows.
CREATE TABLE IF NOT EXISTS hive_event_hash (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  ordering BIGINT NOT NULL,
  hash BYTEA NOT NULL,
  PRIMARY KEY (persistence_id, sequence_number)
);
-- Where the chain begins: events at or below this ordering were written before the hub hashed
-- events (a journal from an older version) and are counted, not verified. Set once: HAVING, not
-- WHERE, because an aggregate over no rows is still one row.
CREATE TABLE IF NOT EXISTS hive_chain_origin (
  id INT PRIMARY KEY,
  before_ordering BIGINT NOT NULL
);
INSERT INTO hive_chain_origin (id, before_ordering)
  SELECT 1, COALESCE(MAX("ordering"), 0) FROM "event_journal"
  HAVING NOT EXISTS (SELECT 1 FROM hive_chain_origin WHERE id = 1);
-- Signed checkpoints: a Merkle root over the event hashes of the orderings after from_ordering up
-- to and including to_ordering, signed with the hub's own key (the one that signs access tokens).
CREATE TABLE IF NOT EXISTS hive_journal_checkpoint (
  from_ordering BIGINT PRIMARY KEY,
  to_ordering BIGINT NOT NULL,
  event_count BIGINT NOT NULL,
  merkle_root BYTEA NOT NULL,
  created_at_ms BIGINT NOT NULL,
  key_id VARCHAR(100) NOT NULL,
  signature BYTEA NOT NULL
);
