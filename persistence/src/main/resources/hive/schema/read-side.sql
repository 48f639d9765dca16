-- Read tables kept by projections; the same DDL on H2 and PostgreSQL (unquoted names, BIGINT
-- epoch milliseconds instead of time-zone-dependent TIMESTAMPs).
CREATE TABLE IF NOT EXISTS hive_task_view (
  task_id VARCHAR(64) PRIMARY KEY,
  created_offset BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  priority VARCHAR(16) NOT NULL,
  agent_id VARCHAR(64),
  created_at_ms BIGINT NOT NULL,
  completed_at_ms BIGINT,
  last_sequence_nr BIGINT NOT NULL,
  events_applied BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS hive_task_view_order_idx ON hive_task_view (created_offset);
CREATE INDEX IF NOT EXISTS hive_task_view_status_idx ON hive_task_view (status, created_offset);
CREATE INDEX IF NOT EXISTS hive_task_view_completed_idx ON hive_task_view (completed_at_ms);

-- Agents as registered, with their settled state (a run in progress is not journaled) and
-- outcome counts; capabilities in their own table so "agents with capability X" is an index read.
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
CREATE INDEX IF NOT EXISTS hive_agent_view_order_idx ON hive_agent_view (created_offset);
CREATE INDEX IF NOT EXISTS hive_agent_view_state_idx ON hive_agent_view (state, created_offset);
CREATE TABLE IF NOT EXISTS hive_agent_capability (
  agent_id VARCHAR(64) NOT NULL,
  capability VARCHAR(64) NOT NULL,
  PRIMARY KEY (agent_id, capability)
);
CREATE INDEX IF NOT EXISTS hive_agent_capability_idx ON hive_agent_capability (capability);
