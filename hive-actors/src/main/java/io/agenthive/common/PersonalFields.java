package io.agenthive.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Walks the hub's records (an event, the spec and result inside it, a list of dependency outputs)
 * and rewrites each {@link Personal} component, in one fixed order, so that taking the values out
 * and putting them back meet the same components. A record is copied only where something changed;
 * records of other libraries and every other type are left as they are.
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

  /**
   * A copy of {@code value} in which each personal component holds what {@code f} gives for it
   * ({@code f} gets the component's type, {@code String} or {@code JsonNode}, and its value).
   */
  @SuppressWarnings("unchecked")
  public static <T> T rewrite(T value, BiFunction<Class<?>, Object, Object> f) {
    return (T) walk(value, f);
  }

  /** The same value with every personal value that is there replaced by {@link #ERASED}. */
  public static <T> T erased(T value) {
    return rewrite(value, (type, v) -> v == null ? null : placeholder(type, ERASED));
  }

  /** {@code text} in the component's own type. */
  public static Object placeholder(Class<?> type, String text) {
    return type == String.class ? text : TextNode.valueOf(text);
  }

  private static Object walk(Object value, BiFunction<Class<?>, Object, Object> f) {
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      boolean changed = false;
      for (Object item : list) {
        Object now = walk(item, f);
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
      args[i] = shape.personal[i] ? f.apply(shape.types[i], v) : walk(v, f);
      changed |= args[i] != v;
    }
    return changed ? shape.make(args) : value;
  }

  private static boolean ours(Class<?> type) {
    return type.getName().startsWith("io.agenthive.");
  }

  /** A record class's components, read once per class. */
  private record Shape(
      Method[] accessors, boolean[] personal, Class<?>[] types, Constructor<?> canonical) {
    static Shape of(Class<?> type) {
      RecordComponent[] parts = type.getRecordComponents();
      Method[] accessors = new Method[parts.length];
      boolean[] personal = new boolean[parts.length];
      Class<?>[] types = new Class<?>[parts.length];
      for (int i = 0; i < parts.length; i++) {
        accessors[i] = parts[i].getAccessor();
        types[i] = parts[i].getType();
        personal[i] = parts[i].isAnnotationPresent(Personal.class);
        if (personal[i] && types[i] != String.class && types[i] != JsonNode.class) {
          throw new IllegalStateException(
              type.getName() + "." + parts[i].getName() + " is @Personal but not text or JSON");
        }
      }
      try {
        return new Shape(accessors, personal, types, type.getDeclaredConstructor(types));
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
