package io.agenthive.persistence.backup;

import java.util.List;

/**
 * The tables a backup holds, in the order they are written and loaded (the journal before its tags,
 * which refer to it), with the columns that order each table's rows. The read tables are not among
 * them: a hub started on a restored database finds no projection offset and rebuilds them from the
 * journal, as after any rebuild.
 */
final class BackupTables {
  /** A table: its name as SQL names it, the name a backup line gives, and its row order. */
  record Table(String sqlName, String name, String orderBy) {}

  static final Table JOURNAL = new Table("\"event_journal\"", "event_journal", "\"ordering\"");

  static final List<Table> ALL =
      List.of(
          JOURNAL,
          new Table("\"event_tag\"", "event_tag", "\"event_id\", \"tag\""),
          new Table("\"snapshot\"", "snapshot", "\"persistence_id\", \"sequence_number\""),
          new Table("hive_chain_origin", "hive_chain_origin", "id"),
          new Table("hive_event_tombstone", "hive_event_tombstone", "ordering"),
          new Table("hive_journal_checkpoint", "hive_journal_checkpoint", "from_ordering"),
          new Table("hive_quarantine", "hive_quarantine", "persistence_id, sequence_nr"),
          new Table("hive_blob", "hive_blob", "blob_id"),
          new Table("hive_blob_part", "hive_blob_part", "blob_id, start_offset"),
          // wrapped keys only: a backup is no more readable than the master key it was made under
          new Table("hive_subject_key", "hive_subject_key", "subject"));

  private BackupTables() {}

  static Table named(String name) {
    for (Table t : ALL) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
