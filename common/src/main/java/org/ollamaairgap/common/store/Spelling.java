package org.ollamaairgap.common.store;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;

/**
 * The one rule for how a model name is spelled on disk, shared by both stager drivers. Ollama
 * compares names case-insensitively (Go's {@code strings.EqualFold}) but keeps the given spelling
 * in paths; before a pull its {@code getExistingName} replaces each part of the request (host,
 * namespace, model, tag, each on its own, across all manifests) by the spelling of any existing
 * manifest's part that matches, picking at random when there are several. Two spellings of one part
 * therefore make lookups fail at random, so staging must never create a second one:
 *
 * <ol>
 *   <li>the default host and, under it, the default namespace are written in lower case, as {@code
 *       /api/pull} does (it re-parses the name's {@code DisplayShortest()});
 *   <li>a part that matches the spelling of a manifest already on disk (or of a model staged
 *       earlier in the same run) takes that spelling;
 *   <li>a part that matches two spellings on disk is refused: the store is already ambiguous, and
 *       which one Ollama picks is chance.
 * </ol>
 *
 * Valid name parts are ASCII, so Go's Unicode simple folding reduces to ASCII case folding here (a
 * Kelvin sign or long s makes a name invalid, and Ollama skips it).
 */
public final class Spelling {
  /** The four parts of a name, each matched on its own as Ollama does. */
  public enum Part {
    HOST,
    NAMESPACE,
    MODEL,
    TAG;

    public String of(ModelName name) {
      return switch (this) {
        case HOST -> name.host();
        case NAMESPACE -> name.namespace();
        case MODEL -> name.model();
        case TAG -> name.tag();
      };
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final int MANIFEST_DEPTH = 4;

  /** Per part: folded spelling to the spellings seen, sorted so that every choice is stable. */
  private final Map<Part, Map<String, TreeSet<String>>> known = new EnumMap<>(Part.class);

  private Spelling() {
    for (Part part : Part.values()) {
      known.put(part, new TreeMap<>());
    }
  }

  /** The spellings of these names. */
  public static Spelling of(Collection<ModelName> names) {
    Spelling spelling = new Spelling();
    names.forEach(spelling::add);
    return spelling;
  }

  /**
   * The spellings of the store's manifests, found as Ollama's listing finds them: every regular
   * file at {@code manifests/*&#47;*&#47;*&#47;*} (links followed) whose path is a valid name.
   * Directories that cannot be read are skipped, as Ollama's glob skips them.
   */
  public static Spelling of(StoreLayout layout) {
    List<ModelName> names = new ArrayList<>();
    collect(layout.manifestsDir(), 0, new String[MANIFEST_DEPTH], names);
    return of(names);
  }

  private static void collect(Path dir, int depth, String[] parts, List<ModelName> names) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        parts[depth] = entry.getFileName().toString();
        if (depth + 1 < MANIFEST_DEPTH) {
          if (Files.isDirectory(entry)) {
            collect(entry, depth + 1, parts, names);
          }
        } else if (Files.isRegularFile(entry)) {
          try {
            names.add(ModelName.fromManifestPath(Path.of(parts[0], parts[1], parts[2], parts[3])));
          } catch (StoreException e) {
            // Ollama skips a file whose path is no valid name: it spells nothing.
          }
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      // Ollama's glob skips what it cannot list.
    }
  }

  /** Records the spelling of a name (one staged earlier in this run). */
  public void add(ModelName name) {
    for (Part part : Part.values()) {
      String spelled = part.of(name);
      known.get(part).computeIfAbsent(fold(spelled), k -> new TreeSet<>()).add(spelled);
    }
  }

  /**
   * The name as it must be written: {@link #asPulled} first, then each part in the spelling already
   * on disk, if any.
   *
   * @throws StoreException (INVALID_NAME) when a part matches two spellings already on disk
   */
  public ModelName onDisk(ModelName requested) throws StoreException {
    ModelName name = asPulled(requested);
    String[] parts = new String[Part.values().length];
    for (Part part : Part.values()) {
      String wanted = part.of(name);
      TreeSet<String> spellings = known.get(part).get(fold(wanted));
      if (spellings == null) {
        parts[part.ordinal()] = wanted;
      } else if (spellings.size() == 1) {
        parts[part.ordinal()] = spellings.first();
      } else {
        throw new StoreException(
            StoreException.Reason.INVALID_NAME,
            "the store already spells the "
                + part.label()
                + " of "
                + requested.displayShortest()
                + " in "
                + spellings.size()
                + " ways ('"
                + String.join("', '", spellings)
                + "'); Ollama matches names case-insensitively and picks one of them at random, so"
                + " lookups would fail. Nothing was staged for this model; on the writable side"
                + " rename the manifest directories to one spelling (run the verifier on the store"
                + " to see which), then run again");
      }
    }
    return new ModelName(
        parts[Part.HOST.ordinal()],
        parts[Part.NAMESPACE.ordinal()],
        parts[Part.MODEL.ordinal()],
        parts[Part.TAG.ordinal()]);
  }

  /**
   * The name as {@code /api/pull} writes it before looking at the store: the default host in lower
   * case, and under it the default namespace in lower case; every other part as given.
   */
  public static ModelName asPulled(ModelName name) {
    if (!sameFold(name.host(), ModelName.DEFAULT_HOST)) {
      return name;
    }
    String namespace =
        sameFold(name.namespace(), ModelName.DEFAULT_NAMESPACE)
            ? ModelName.DEFAULT_NAMESPACE
            : name.namespace();
    return new ModelName(ModelName.DEFAULT_HOST, namespace, name.model(), name.tag());
  }

  /**
   * A key equal for two texts exactly when Go's {@code strings.EqualFold} holds for them, given
   * that one of them is a valid name part (ASCII): ASCII letters folded, and the two non-ASCII code
   * points whose fold orbit holds an ASCII letter (U+017F long s, U+212A Kelvin sign) folded with
   * them.
   */
  public static String fold(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (c >= 'A' && c <= 'Z') {
                out.append((char) (c + ('a' - 'A')));
              } else if (c == 0x017f) {
                out.append('s');
              } else if (c == 0x212a) {
                out.append('k');
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  /** Go's {@code strings.EqualFold} for name parts. */
  public static boolean sameFold(String a, String b) {
    return fold(a).equals(fold(b));
  }
}
