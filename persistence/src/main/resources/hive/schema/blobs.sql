-- Bytes kept beside the journal (dataset uploads and results, large task outputs): one row per
-- blob, and its bytes in parts of at most hive.blobs.part-size. The same DDL on H2 and
-- PostgreSQL (BYTEA is H2's name for VARBINARY too; BIGINT epoch milliseconds). Parts are found
-- by their start offset, so a range read starts at the right part with one index lookup.
CREATE TABLE IF NOT EXISTS hive_blob (
  blob_id VARCHAR(200) PRIMARY KEY,
  kind VARCHAR(32) NOT NULL,
  task_id VARCHAR(64),
  size_bytes BIGINT NOT NULL,
  sha256 VARCHAR(64),
  complete BOOLEAN NOT NULL,
  created_at_ms BIGINT NOT NULL
);
-- the retention sweep joins blobs to their tasks' rows in hive_task_view
CREATE INDEX IF NOT EXISTS hive_blob_task_idx ON hive_blob (task_id);
CREATE TABLE IF NOT EXISTS hive_blob_part (
  blob_id VARCHAR(200) NOT NULL,
  start_offset BIGINT NOT NULL,
  part_size INT NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (blob_id, start_offset)
);
