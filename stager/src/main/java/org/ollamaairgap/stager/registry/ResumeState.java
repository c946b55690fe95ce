package org.ollamaairgap.stager.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.ollamaairgap.common.model.Digest;

/**
 * What is on disk of an unfinished blob: its parts and how many bytes of each were written and
 * flushed. Saved as JSON beside the data file in the staging directory, replaced atomically.
 * Anything odd on load (another blob, another size, parts that do not tile the blob, a data file of
 * the wrong length) discards it: the blob then starts over, which is slow but never wrong.
 */
record ResumeState(int version, String digest, long size, List<Part> parts) {
  static final int VERSION = 1;
  static final int MAX_PARTS = 10_000;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * One byte range {@code [offset, offset + size)} of which the first {@code completed} are on
   * disk.
   */
  record Part(long offset, long size, long completed) {}

  ResumeState {
    parts = List.copyOf(parts);
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The result of {@link #load}: a usable state, or why there is none. */
  record Loaded(ResumeState state, String discarded) {}

  /**
   * Reads and checks the state of {@code digest}; {@code discarded} says why an existing state was
   * not usable (null when there simply was none).
   */
  static Loaded load(Path stateFile, Path dataFile, Digest digest, long size) {
    if (!Files.exists(stateFile, LinkOption.NOFOLLOW_LINKS)) {
      return new Loaded(null, null);
    }
    ResumeState s;
    try {
      if (Files.size(stateFile) > 4 << 20) {
        return new Loaded(null, "resume state " + stateFile + " is implausibly large");
      }
      s = JSON.readValue(Files.readAllBytes(stateFile), ResumeState.class);
    } catch (IOException e) {
      return new Loaded(null, "resume state " + stateFile + " is unreadable: " + oneLine(e));
    }
    String problem = problem(s, digest, size);
    if (problem == null) {
      try {
        BasicFileAttributes a =
            Files.readAttributes(dataFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() || a.size() != size) {
          problem = "data file " + dataFile + " is not a regular file of " + size + " bytes";
        }
      } catch (IOException e) {
        problem = "data file " + dataFile + " is missing";
      }
    }
    return problem == null
        ? new Loaded(s, null)
        : new Loaded(null, "resume state " + stateFile + ": " + problem);
  }

  private static String problem(ResumeState s, Digest digest, long size) {
    if (s == null || s.version != VERSION) {
      return "unknown version";
    }
    if (!digest.toString().equals(s.digest) || s.size != size) {
      return "it describes " + s.digest + " of " + s.size + " bytes";
    }
    if (s.parts.isEmpty() || s.parts.size() > MAX_PARTS) {
      return "it has " + s.parts.size() + " parts";
    }
    long next = 0;
    for (Part p : s.parts) {
      if (p == null || p.offset != next || p.size <= 0 || p.completed < 0 || p.completed > p.size) {
        return "its parts do not tile the blob at byte " + next;
      }
      next += p.size;
    }
    return next == size ? null : "its parts cover " + next + " bytes";
  }

  private static String oneLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
