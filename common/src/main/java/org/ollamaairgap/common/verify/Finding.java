package org.ollamaairgap.common.verify;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One problem found in a store: what, where, expected and actual, and what to do about it.
 *
 * @param kind what kind of problem; fixes the severity
 * @param model the model's short display name, or null when no single model is concerned
 * @param digest the blob or manifest digest concerned ({@code sha256:<hex>}), or null
 * @param path the file or directory concerned, or null
 * @param expected what should be there (e.g. {@code size=1234}), or null
 * @param actual what is there (e.g. {@code size=1000}), or null
 * @param message what is wrong, for people
 * @param hint what to do next
 */
public record Finding(
    FindingKind kind,
    String model,
    String digest,
    String path,
    String expected,
    String actual,
    String message,
    String hint) {

  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(hint, "hint");
  }

  @JsonProperty("severity")
  public Severity severity() {
    return kind.severity();
  }

  /**
   * One log line: {@code ERROR BLOB_SIZE_MISMATCH model=llama3:8b blob=sha256:... expected size=10
   * actual size=8: <message>. What to do: <hint>}.
   */
  public String line() {
    StringBuilder out = new StringBuilder();
    out.append(severity()).append(' ').append(kind);
    if (model != null) {
      out.append(" model=").append(model);
    }
    if (digest != null) {
      out.append(kind.name().startsWith("EXPECTED") ? " manifest=" : " blob=").append(digest);
    }
    if (path != null && digest == null) {
      out.append(" path=").append(path);
    }
    if (expected != null) {
      out.append(" expected ").append(expected);
    }
    if (actual != null) {
      out.append(" actual ").append(actual);
    }
    out.append(": ").append(message);
    if (!hint.isEmpty()) {
      out.append(". What to do: ").append(hint);
    }
    return out.toString();
  }
}
