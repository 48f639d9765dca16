-- Tamper evidence (docs/audit.md). Every event's SHA-256, chained to the previous event of the same
-- entity, in a column beside the plugin's own: written by the hub's journal DAO in the event's
-- own INSERT, so it costs no statement, round trip or index of its own. The plugin's queries name
-- their columns and never see it.
ALTER TABLE "event_journal" ADD COLUMN IF NOT EXISTS "hive_hash" BYTEA;
-- When the row was inserted, by the database's clock (the journal's write_timestamp is the writing
-- node's, taken before the write waited in its queue): a checkpoint covers only rows inserted
-- long enough ago that no write still open can hold a lower ordering.
ALTER TABLE "event_journal" ADD COLUMN IF NOT EXISTS "hive_written_at" TIMESTAMP WITH TIME ZONE
  DEFAULT CURRENT_TIMESTAMP;
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
