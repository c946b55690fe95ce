package org.ollamaairgap.testing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;

/**
 * The project's own types Jackson reaches from some root types: record components (but those it
 * ignores or writes as text) and the return types of {@code @JsonProperty} methods, followed
 * through generics ({@code List<Finding>}). The apps' tests compare it with what their {@code
 * NativeReflection} registers, so that a type added to a report is not forgotten there (it would
 * break only the native executable).
 */
public final class JsonTypes {
  private static final String OWN_PACKAGE = "org.ollamaairgap.";

  private JsonTypes() {}

  /** Binary names ({@code Class.getName()}) of the roots and every own type reachable from them. */
  public static Set<String> reachable(Class<?>... roots) {
    Set<String> seen = new TreeSet<>();
    Deque<Type> todo = new ArrayDeque<>(java.util.List.of(roots));
    while (!todo.isEmpty()) {
      Type type = todo.pop();
      if (type instanceof ParameterizedType p) {
        todo.push(p.getRawType());
        for (Type argument : p.getActualTypeArguments()) {
          todo.push(argument);
        }
        continue;
      }
      if (!(type instanceof Class<?> c) || !c.getName().startsWith(OWN_PACKAGE)) {
        continue;
      }
      if (!seen.add(c.getName())) {
        continue;
      }
      if (c.isRecord()) {
        for (RecordComponent component : c.getRecordComponents()) {
          if (!writtenAsText(component.getAccessor())) {
            todo.push(component.getGenericType());
          }
        }
      }
      for (Method method : c.getDeclaredMethods()) {
        if (method.isAnnotationPresent(JsonProperty.class)) {
          todo.push(method.getGenericReturnType());
        }
      }
    }
    return seen;
  }

  /**
   * Ignored, or written with {@code toString()} ({@code sha256:<hex>} for a digest): Jackson does
   * not reflect on the value's type then.
   */
  private static boolean writtenAsText(Method accessor) {
    if (accessor.isAnnotationPresent(JsonIgnore.class)) {
      return true;
    }
    JsonSerialize serialize = accessor.getAnnotation(JsonSerialize.class);
    return serialize != null && serialize.using() == ToStringSerializer.class;
  }
}
