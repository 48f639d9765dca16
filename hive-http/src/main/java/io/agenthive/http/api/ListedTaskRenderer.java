package io.agenthive.http.api;

import akka.actor.typed.ActorSystem;
import io.agenthive.http.json.Json;
import io.agenthive.persistence.readside.ListedTaskJson;
import io.agenthive.task.Task;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The API's rendering of a listed task ({@link Views#task}), which the read model stores with each
 * task's row ({@link ListedTaskJson}); named in {@code hive.read-side.listed-task-json}.
 */
public final class ListedTaskRenderer implements ListedTaskJson {
  /**
   * Raise when a listed field's meaning changes without its name or type changing (those change the
   * shape by themselves): rows rendered before are then rendered again when read.
   */
  private static final int REVISION = 1;

  private static final int SHAPE = (31 * REVISION + fieldsOf(Views.TaskJson.class).hashCode()) | 1;

  public ListedTaskRenderer(ActorSystem<?> system) {}

  @Override
  public String render(Task listed) {
    return new String(Json.bytes(Views.task(listed)), StandardCharsets.UTF_8);
  }

  @Override
  public int shape() {
    return SHAPE;
  }

  /** Every field the JSON of {@code root} can hold, by record and name, with its Java type. */
  static String fieldsOf(Class<?> root) {
    Set<Class<?>> seen = new LinkedHashSet<>();
    StringBuilder out = new StringBuilder();
    walk(root, seen, out);
    return out.toString();
  }

  private static void walk(Type type, Set<Class<?>> seen, StringBuilder out) {
    if (type instanceof ParameterizedType p) {
      for (Type arg : p.getActualTypeArguments()) {
        walk(arg, seen, out);
      }
      return;
    }
    if (!(type instanceof Class<?> c) || !c.isRecord() || !seen.add(c)) {
      return;
    }
    out.append(c.getName()).append('{');
    for (RecordComponent rc : c.getRecordComponents()) {
      out.append(rc.getName()).append(':').append(rc.getGenericType().getTypeName()).append(';');
      walk(rc.getGenericType(), seen, out);
    }
    out.append('}');
  }
}
