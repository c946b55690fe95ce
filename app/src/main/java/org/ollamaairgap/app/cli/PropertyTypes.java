package org.ollamaairgap.app.cli;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The type of every property of a {@code @ConfigMapping}, read from the interface itself: the
 * mapping stays the one owner of types and defaults, and a bad value can still be named by flag,
 * environment variable and the values it may take. Groups nest under their method's name, or under
 * the parent's with {@code @WithParentName}.
 */
final class PropertyTypes {
  private PropertyTypes() {}

  /** Property name to the type of one value (the element type for lists). */
  static Map<String, Class<?>> of(Class<?> mapping) {
    ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
    String prefix = annotation == null ? "" : annotation.prefix();
    Map<String, Class<?>> types = new LinkedHashMap<>();
    collect(mapping, prefix, types);
    return types;
  }

  private static void collect(Class<?> group, String prefix, Map<String, Class<?>> types) {
    for (Method method : group.getMethods()) {
      if (method.getParameterCount() != 0
          || method.isDefault()
          || Modifier.isStatic(method.getModifiers())
          || method.getDeclaringClass() == Object.class) {
        continue;
      }
      Class<?> type = valueType(method.getGenericReturnType());
      String name = property(prefix, method);
      if (type.isInterface() && !type.getName().startsWith("java.")) {
        collect(type, name, types);
      } else {
        types.put(name, type);
      }
    }
  }

  private static String property(String prefix, Method method) {
    if (method.isAnnotationPresent(WithParentName.class)) {
      return prefix;
    }
    WithName named = method.getAnnotation(WithName.class);
    String name = named != null ? named.value() : kebab(method.getName());
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** {@code Optional<List<Path>>} is {@code Path}; {@code OptionalInt} is {@code int}. */
  private static Class<?> valueType(Type type) {
    if (type == OptionalInt.class) {
      return int.class;
    }
    if (type == OptionalLong.class) {
      return long.class;
    }
    if (type instanceof ParameterizedType parameterized) {
      Type raw = parameterized.getRawType();
      if (raw == Optional.class || raw == List.class || raw == java.util.Set.class) {
        return valueType(parameterized.getActualTypeArguments()[0]);
      }
      return (Class<?>) raw;
    }
    return type instanceof Class<?> c ? c : Object.class;
  }

  /** SmallRye's rule: {@code stallTimeout} is {@code stall-timeout}. */
  static String kebab(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
