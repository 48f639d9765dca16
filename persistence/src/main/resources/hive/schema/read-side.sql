-- Read tables kept by the read-model projection; the same DDL on H2 and PostgreSQL (unquoted
-- names, BIGINT epoch milliseconds instead of time-zone-dependent TIMESTAMPs). Lists answer
-- from these in one query per page, so every listed field has a column; the JSON columns hold
-- the parts that are shown, never filtered on. Columns added after a table first shipped are
-- added below with ADD COLUMN IF NOT EXISTS; a new projection name rebuilds the rows.
CREATE TABLE IF NOT EXISTS hive_task_view (
  task_id VARCHAR(64) PRIMARY KEY,
  created_offset BIGINT NOT NULL,
  status VARCHAR(32) NOT NULL,
  priority VARCHAR(16) NOT NULL,
  agent_id VARCHAR(64),
  created_at_ms BIGINT NOT NULL,
  completed_at_ms BIGINT,
  last_sequence_nr BIGINT NOT NULL,
  events_applied BIGINT NOT NULL
);
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS assigned_at_ms BIGINT;
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS started_at_ms BIGINT;
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS retry_at_ms BIGINT;
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS chunk_of VARCHAR(64);
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS requirements_json VARCHAR(100000);
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS spec_json VARCHAR(4000000);
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS reason_json VARCHAR(100000);
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS result_json VARCHAR(4000000);
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS progress_json VARCHAR(10000);
-- who submitted a task and its workflow: what budgets hold back, read by a restarting matcher
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS submitted_by VARCHAR(300);
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS workflow_id VARCHAR(64);
-- a task's title in lower case, for the list's search (q=); filled by hive-read-model-v3 on
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS title_search VARCHAR(1000);
-- 'waiting_for_approval' is longer than the first statuses: widened in place (idempotent)
ALTER TABLE hive_task_view ALTER COLUMN status SET DATA TYPE VARCHAR(32);
-- when time alone changes the task next (not_before, expires_at, a timeout): the durable timers a
-- restarting matcher reads back
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS wake_at_ms BIGINT;
-- an approval's approvers as |user:alice|role:operator|: "mine" is a LIKE per token, in SQL
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS approvers VARCHAR(12000);
-- the agents a task's failed attempts ran on (JSON list): a restarting matcher's retry avoids them
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS failed_on_json VARCHAR(20000);
-- a subtask's parent: GET /api/tasks/{id}/children, the fan-out bound and the cancel cascade
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS parent_id VARCHAR(64);
-- whose personal data the task holds (docs/erasure.md): an erasure finds its rows by it
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS subject VARCHAR(128);
-- the task as lists show it, rendered when the row is written (ListedTaskJson), and the shape of
-- that rendering: a row of another shape, or none (a large task), is rendered from the columns
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS listed_json VARCHAR(70000);
ALTER TABLE hive_task_view ADD COLUMN IF NOT EXISTS listed_shape INT DEFAULT 0 NOT NULL;
CREATE INDEX IF NOT EXISTS hive_task_view_subject_idx ON hive_task_view (subject);
CREATE INDEX IF NOT EXISTS hive_task_view_parent_idx ON hive_task_view (parent_id, created_offset);
CREATE INDEX IF NOT EXISTS hive_task_view_order_idx ON hive_task_view (created_offset);
CREATE INDEX IF NOT EXISTS hive_task_view_status_idx ON hive_task_view (status, created_offset);
CREATE INDEX IF NOT EXISTS hive_task_view_completed_idx ON hive_task_view (completed_at_ms);
CREATE INDEX IF NOT EXISTS hive_task_view_wake_idx ON hive_task_view (wake_at_ms);
-- the workflow list groups the steps' rows by workflow
CREATE INDEX IF NOT EXISTS hive_task_view_workflow_idx ON hive_task_view (workflow_id, created_offset);

-- Agents with their settled state, stats and learned proficiencies, all derived from the
-- journal (stats and learning from the outcomes of the tasks they ran); capabilities in their
-- own table so "agents with capability X" is an index read.
CREATE TABLE IF NOT EXISTS hive_agent_view (
  agent_id VARCHAR(64) PRIMARY KEY,
  created_offset BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  agent_type VARCHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL,
  tasks_completed BIGINT NOT NULL,
  tasks_failed BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  last_sequence_nr BIGINT NOT NULL,
  events_applied BIGINT NOT NULL
);
ALTER TABLE hive_agent_view ADD COLUMN IF NOT EXISTS skill VARCHAR(64);
ALTER TABLE hive_agent_view ADD COLUMN IF NOT EXISTS max_concurrency INT DEFAULT 1 NOT NULL;
ALTER TABLE hive_agent_view ADD COLUMN IF NOT EXISTS total_duration_ms BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE hive_agent_view ADD COLUMN IF NOT EXISTS tokens_used BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE hive_agent_view ADD COLUMN IF NOT EXISTS last_active_at_ms BIGINT;
ALTER TABLE hive_agent_view ADD COLUMN IF NOT EXISTS running INT DEFAULT 0 NOT NULL;
ALTER TABLE hive_agent_view ADD COLUMN IF NOT EXISTS current_task_id VARCHAR(64);
CREATE INDEX IF NOT EXISTS hive_agent_view_order_idx ON hive_agent_view (created_offset);
CREATE INDEX IF NOT EXISTS hive_agent_view_state_idx ON hive_agent_view (state, created_offset);
CREATE TABLE IF NOT EXISTS hive_agent_capability (
  agent_id VARCHAR(64) NOT NULL,
  capability VARCHAR(64) NOT NULL,
  PRIMARY KEY (agent_id, capability)
);
ALTER TABLE hive_agent_capability ADD COLUMN IF NOT EXISTS position INT DEFAULT 0 NOT NULL;
ALTER TABLE hive_agent_capability ADD COLUMN IF NOT EXISTS proficiency DOUBLE PRECISION DEFAULT 0 NOT NULL;
ALTER TABLE hive_agent_capability ADD COLUMN IF NOT EXISTS learning_rate DOUBLE PRECISION DEFAULT 0 NOT NULL;
CREATE INDEX IF NOT EXISTS hive_agent_capability_idx ON hive_agent_capability (capability);

-- Tasks by status, kept by the projection with the rows (so a restarting matcher reads six rows
-- instead of counting every task).
CREATE TABLE IF NOT EXISTS hive_task_counts (
  status VARCHAR(32) PRIMARY KEY,
  task_count BIGINT NOT NULL
);
ALTER TABLE hive_task_counts ALTER COLUMN status SET DATA TYPE VARCHAR(32);

-- Journal events a reader could not deserialize (a damaged row): skipped, listed for admins
-- (GET /api/admin/quarantine). Not a read table: a rebuild of the read model keeps it.
CREATE TABLE IF NOT EXISTS hive_quarantine (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_nr BIGINT NOT NULL,
  ordering_nr BIGINT NOT NULL,
  manifest VARCHAR(255),
  reason VARCHAR(1000) NOT NULL,
  first_seen_ms BIGINT NOT NULL,
  PRIMARY KEY (persistence_id, sequence_nr)
);
