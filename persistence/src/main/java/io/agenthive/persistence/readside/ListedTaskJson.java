package io.agenthive.persistence.readside;

import akka.actor.typed.ActorSystem;
import io.agenthive.common.ConfiguredClass;
import io.agenthive.task.Task;

/**
 * How a list shows one task, rendered once when the projection writes the row of a task that ended
 * (it never changes again) instead of on every read: a list page is then its rows' stored JSON
 * joined, with no parsing of the row's JSON columns and no writing of the task's JSON per request
 * (together about 60% of a list request's CPU when the rows were parsed and rendered per read). The
 * API module owns the shape and names its renderer in {@code hive.read-side.listed-task-json};
 * without one no row is pre-rendered.
 */
public interface ListedTaskJson {
  /** Rows whose rendering is larger than this keep none: their JSON columns are read instead. */
  int MAX_STORED = 64 * 1024;

  /** The task's JSON as a list shows it; {@code listed} is shaped as its row reads back. */
  String render(Task listed);

  /**
   * Names the rendering: a row written under another shape is rendered again from its columns when
   * read. The API's changes by itself when a listed field's name or type changes; a change of what
   * a field holds must change it by hand ({@code ListedTaskRenderer.REVISION}).
   */
  int shape();

  /** Renders nothing: every list renders from the rows' columns. */
  ListedTaskJson NONE =
      new ListedTaskJson() {
        @Override
        public String render(Task listed) {
          return null;
        }

        @Override
        public int shape() {
          return 0;
        }
      };

  /**
   * The renderer {@code hive.read-side.listed-task-json} names, or {@link #NONE} where it is unset
   * (this module sets no default, so no order of the modules' reference.conf files hides the
   * API's).
   */
  static ListedTaskJson of(ActorSystem<?> system) {
    String setting = "hive.read-side.listed-task-json";
    var config = system.settings().config();
    String className = config.hasPath(setting) ? config.getString(setting) : "";
    return className.isBlank()
        ? NONE
        : ConfiguredClass.make(system, setting, className, ListedTaskJson.class);
  }
}
