package io.agenthive.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the hub's records (an event, the spec and result inside it, a list of dependency outputs)
 * and rewrites each {@link Personal} component, each named by its path, so that values taken out
 * are put back where they came from even after a record gains or loses a personal component. A
 * record is copied only where something changed; records of other libraries and every other type
 * are left as they are.
 */
public final class PersonalFields {
  /** What a payload reads as once its subject's key is destroyed. */
  public static final String ERASED = "[erased]";

  private static final ClassValue<Shape> SHAPES =
      new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
          return Shape.of(type);
        }
      };

  private PersonalFields() {}

  /** What becomes of one personal value. */
  public interface Rewrite {
    /**
     * The new value of the component at {@code path} (component names and list indices from the
     * outer record, such as {@code spec.input} or {@code dependencies[1].output}), whose type is
     * {@code String} or {@code JsonNode}, now holding {@code value}.
     */
    Object apply(String path, Class<?> type, Object value);
  }

  /** A copy of {@code value} in which each personal component holds what {@code f} gives. */
  @SuppressWarnings("unchecked")
  public static <T> T rewrite(T value, Rewrite f) {
    return (T) walk(value, "", f);
  }

  /** The same value with every personal value that is there replaced by {@link #ERASED}. */
  public static <T> T erased(T value) {
    return rewrite(value, (path, type, v) -> v == null ? null : placeholder(type, ERASED));
  }

  /** {@code text} in the component's own type. */
  public static Object placeholder(Class<?> type, String text) {
    return type == String.class ? text : TextNode.valueOf(text);
  }

  private static Object walk(Object value, String path, Rewrite f) {
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      boolean changed = false;
      for (Object item : list) {
        Object now = walk(item, path + "[" + out.size() + "]", f);
        changed |= now != item;
        out.add(now);
      }
      return changed ? List.copyOf(out) : value;
    }
    if (value == null || !value.getClass().isRecord() || !ours(value.getClass())) {
      return value;
    }
    Shape shape = SHAPES.get(value.getClass());
    Object[] args = new Object[shape.accessors.length];
    boolean changed = false;
    for (int i = 0; i < args.length; i++) {
      Object v = shape.get(i, value);
      String at = path.isEmpty() ? shape.names[i] : path + "." + shape.names[i];
      args[i] = shape.personal[i] ? f.apply(at, shape.types[i], v) : walk(v, at, f);
      changed |= args[i] != v;
    }
    return changed ? shape.make(args) : value;
  }

  private static boolean ours(Class<?> type) {
    return type.getName().startsWith("io.agenthive.");
  }

  /** A record class's components, read once per class. */
  private record Shape(
      String[] names,
      Method[] accessors,
      boolean[] personal,
      Class<?>[] types,
      Constructor<?> canonical) {
    static Shape of(Class<?> type) {
      RecordComponent[] parts = type.getRecordComponents();
      String[] names = new String[parts.length];
      Method[] accessors = new Method[parts.length];
      boolean[] personal = new boolean[parts.length];
      Class<?>[] types = new Class<?>[parts.length];
      for (int i = 0; i < parts.length; i++) {
        names[i] = parts[i].getName();
        accessors[i] = parts[i].getAccessor();
        types[i] = parts[i].getType();
        personal[i] = parts[i].isAnnotationPresent(Personal.class);
        if (personal[i] && types[i] != String.class && types[i] != JsonNode.class) {
          throw new IllegalStateException(
              type.getName() + "." + parts[i].getName() + " is @Personal but not text or JSON");
        }
      }
      try {
        return new Shape(names, accessors, personal, types, type.getDeclaredConstructor(types));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("a record without its canonical constructor: " + type, e);
      }
    }

    Object get(int i, Object record) {
      try {
        return accessors[i].invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + accessors[i], e);
      }
    }

    Object make(Object[] args) {
      try {
        return canonical.newInstance(args);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot copy a " + canonical.getDeclaringClass(), e);
      }
    }
  }
}
