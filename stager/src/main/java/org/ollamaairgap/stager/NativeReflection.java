package org.ollamaairgap.stager;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Registers for reflection, in the native executable, every type Jackson binds to or from JSON.
 *
 * <p>Quarkus registers REST payloads by itself, but not types read or written with a plain {@code
 * ObjectMapper} (reports, manifests, API streams), and the types in {@code common} cannot carry
 * Quarkus annotations. A type missing here works in JVM mode and fails only in the native
 * executable, with empty JSON or "no serializer found". Add each such type (records included) to
 * {@code targets}; see docs/images.md.
 */
@RegisterForReflection(targets = {})
final class NativeReflection {
  private NativeReflection() {}
}
