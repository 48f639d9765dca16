-- Tamper evidence (docs/audit.md). The journal's two columns of the hub's own (hive_hash, each
-- event's chained SHA-256; hive_written_at, the database's clock at insert) are added by
-- JournalColumns, only where missing: PostgreSQL locks the whole journal for an ALTER TABLE even
-- when the column exists.
-- Events Akka itself deletes (the sharding's remember-entities store deletes its old events after
-- a snapshot): their hashes are kept here before the rows go, so the chains and checkpoints over
-- them still verify, and a row marked deleted without one shows.
CREATE TABLE IF NOT EXISTS hive_event_tombstone (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  ordering BIGINT NOT NULL,
  hash BYTEA NOT NULL,
  PRIMARY KEY (persistence_id, sequence_number)
);
CREATE INDEX IF NOT EXISTS hive_event_tombstone_ordering_idx ON hive_event_tombstone (ordering);
-- A tombstone the hub itself kept for an event of its own entities (retention deleting a task's
-- events) is signed with the hub's key over its entity, sequence number, ordering and hash: one
-- written around the hub, to hide a deleted row, has no valid signature. The sharding's own store
-- (persistence ids under /sharding/) keeps its tombstones from Akka's deletes, unsigned.
ALTER TABLE hive_event_tombstone ADD COLUMN IF NOT EXISTS key_id VARCHAR(100);
ALTER TABLE hive_event_tombstone ADD COLUMN IF NOT EXISTS signature BYTEA;
-- Where the chain begins: events at or below this ordering were written before the hub hashed
-- events (a journal from an older version) and are counted, not verified. Set once, by the first
-- hub start of this version (JournalColumns), never by a command that only reads.
CREATE TABLE IF NOT EXISTS hive_chain_origin (
  id INT PRIMARY KEY,
  before_ordering BIGINT NOT NULL
);
-- Signed checkpoints: a Merkle root over the event hashes of the orderings after from_ordering up
-- to and including to_ordering, in ordering order, signed with the hub's own key (the one that
-- signs access tokens). A row moved to another ordering changes the root.
CREATE TABLE IF NOT EXISTS hive_journal_checkpoint (
  from_ordering BIGINT PRIMARY KEY,
  to_ordering BIGINT NOT NULL,
  event_count BIGINT NOT NULL,
  merkle_root BYTEA NOT NULL,
  created_at_ms BIGINT NOT NULL,
  key_id VARCHAR(100) NOT NULL,
  signature BYTEA NOT NULL
);
