package org.ollamaairgap.common.model;

import java.util.Locale;

/**
 * A fully qualified Ollama model name, {@code host/namespace/model:tag}. Instances are always
 * valid: every part is present and matches Ollama's grammar, so no part can contain a path
 * separator or be {@code .} or {@code ..}, and a name can never address a path outside the store.
 *
 * <p>Grammar (Ollama {@code types/model/name.go}, {@code ParseNameBare} and {@code isValidPart}):
 *
 * <pre>
 *   name      = [ [ [scheme "://"] host "/" ] namespace "/" ] model [ ":" tag ]
 *   host      = first ( alnum | "_" | "-" | "." | ":" ){0,349}     e.g. localhost:5000
 *   namespace = first ( alnum | "_" | "-" ){0,79}
 *   model     = first ( alnum | "_" | "-" | "." ){0,79}
 *   tag       = first ( alnum | "_" | "-" | "." ){0,79}
 *   first     = ASCII letter | digit | "_"
 * </pre>
 *
 * The tag is the text after the last {@code :} only when that colon comes after the last {@code /},
 * which lets a host carry a port. Missing parts default to {@code registry.ollama.ai}, {@code
 * library} and {@code latest}. A {@code scheme://} prefix is accepted and dropped, as Ollama's API
 * does; plain HTTP is chosen with the insecure option, never by the name. Case is kept as given;
 * Ollama compares names case-insensitively, see {@link #sameAs}. {@link #parse} also applies what
 * {@code /api/pull} does first (see {@link PullRef}).
 *
 * @see <a href="https://github.com/ollama/ollama/blob/main/types/model/name.go">name.go</a>
 */
public record ModelName(String host, String namespace, String model, String tag) {
  public static final String DEFAULT_HOST = "registry.ollama.ai";
  public static final String DEFAULT_NAMESPACE = "library";
  public static final String DEFAULT_TAG = "latest";

  /** Which part of a name, with its allowed extra characters and maximum length. */
  enum Part {
    HOST("-.:", 350),
    NAMESPACE("-", 80),
    MODEL("-.", 80),
    TAG("-.", 80);

    final String extra;
    final int maxLength;

    Part(String extra, int maxLength) {
      this.extra = extra;
      this.maxLength = maxLength;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ModelName {
    check(Part.HOST, host);
    check(Part.NAMESPACE, namespace);
    check(Part.MODEL, model);
    check(Part.TAG, tag);
  }

  /**
   * Parses a name as {@code /api/pull} reads it, filling in the defaults: surrounding whitespace is
   * trimmed, a {@code :local} suffix dropped ({@code llama3.2:1b:local} is {@code llama3.2:1b}, and
   * {@code llama3.2:local} is {@code llama3.2:latest}), a {@code scheme://} prefix dropped. Refused
   * beyond Ollama's grammar: cloud models ({@code :cloud}, a tag ending in {@code -cloud}), which
   * cannot serve inside an air gap, and a host port that is not a number from 1 to 65535, which
   * Ollama would accept here and fail on at the first request.
   */
  public static ModelName parse(String text) throws StoreException {
    String raw = text == null ? "" : text;
    String trimmed = PullRef.trimSpace(raw);
    if (trimmed.isEmpty()) {
      throw invalid(raw, "the name is empty or only whitespace");
    }
    ModelName name = parseBare(raw, withoutSource(raw, trimmed));
    String port = portProblem(name.host());
    if (port != null) {
      throw invalid(raw, port);
    }
    return name;
  }

  /** Whitespace trimmed from both ends as Ollama trims a model name (Go's TrimSpace). */
  public static String trimSpace(String text) {
    return PullRef.trimSpace(text);
  }

  /** Drops {@code :local}; refuses cloud names and a second suffix, as Ollama's ParseRef does. */
  private static String withoutSource(String text, String name) throws StoreException {
    PullRef.Split split = PullRef.split(name);
    if (split.source() == PullRef.Source.UNSPECIFIED) {
      return name;
    }
    PullRef.Split inner = PullRef.split(split.base());
    if (split.source() == PullRef.Source.CLOUD || inner.source() == PullRef.Source.CLOUD) {
      String local = inner.source() == PullRef.Source.UNSPECIFIED ? split.base() : inner.base();
      throw invalid(
          text,
          "'"
              + (split.source() == PullRef.Source.CLOUD ? split.suffix() : inner.suffix())
              + "' names an Ollama cloud model, a stub that sends every request to ollama.com and"
              + " cannot serve inside an air gap; name the local model instead (e.g. '"
              + Digest.clip(local)
              + "')");
    }
    if (inner.source() != PullRef.Source.UNSPECIFIED) {
      throw invalid(text, "it ends in ':local' twice; Ollama accepts one source suffix at most");
    }
    return split.base();
  }

  private static ModelName parseBare(String text, String name) throws StoreException {
    String rest = name;
    String tag = DEFAULT_TAG;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (tag.isEmpty()) {
        throw invalid(text, "the tag after ':' is empty");
      }
    }
    String host = DEFAULT_HOST;
    String namespace = DEFAULT_NAMESPACE;
    int slash = rest.lastIndexOf('/');
    String model = rest.substring(slash + 1);
    if (slash >= 0) {
      rest = rest.substring(0, slash);
      slash = rest.lastIndexOf('/');
      namespace = rest.substring(slash + 1);
      if (slash >= 0) {
        host = rest.substring(0, slash);
        // Ollama keeps any text before the first "://" as the scheme and /api/pull drops it (it
        // pulls DisplayShortest()); plain HTTP is the insecure option's job, never the name's.
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
          host = host.substring(scheme + 3);
        }
        if (host.indexOf('/') >= 0) {
          // Said plainly: the generic "'/' in the host" would puzzle someone who typed a/b/c/d.
          throw invalid(
              text,
              "it has more than three '/'-separated parts; the registry path is always"
                  + " namespace/model");
        }
      }
    }
    return of(text, host, namespace, model, tag);
  }

  /**
   * Why the port of a host that will be dialled is unusable, or null. Ollama's grammar lets a host
   * hold any number of ':' and any text after them; the request then fails with a Go URL error. Not
   * checked for names read from manifest paths: a local store never dials them.
   */
  private static String portProblem(String host) {
    int colon = host.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String port = host.substring(colon + 1);
    String where = " in the host '" + Digest.clip(host) + "'";
    if (port.indexOf(':') >= 0) {
      return "it has more than one ':'" + where + "; write host:port";
    }
    if (port.isEmpty()) {
      return "the port after ':'" + where + " is empty; write host:port, e.g. localhost:5000";
    }
    if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return "the port '" + Digest.clip(port) + "'" + where + " is not a number";
    }
    String digits = port.replaceFirst("^0+(?=.)", "");
    if (digits.length() > 5 || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
      return "the port " + Digest.clip(port) + where + " is out of range; a port is 1 to 65535";
    }
    return null;
  }

  /**
   * The name a manifest file stands for, from its path relative to {@code manifests/}: exactly four
   * elements, {@code host/namespace/model/tag}, as Ollama's {@code ParseNameFromFilepath}.
   */
  public static ModelName fromManifestPath(java.nio.file.Path relative) throws StoreException {
    String text = relative.toString();
    if (relative.isAbsolute()) {
      throw invalidPath(text, "it is absolute, expected a path relative to manifests/");
    }
    if (relative.getNameCount() != 4) {
      throw invalidPath(text, "expected 4 path elements, found " + relative.getNameCount());
    }
    String[] parts = new String[4];
    for (int i = 0; i < 4; i++) {
      parts[i] = relative.getName(i).toString();
    }
    String problem = problem(parts[0], parts[1], parts[2], parts[3]);
    if (problem != null) {
      throw invalidPath(text, problem);
    }
    return new ModelName(parts[0], parts[1], parts[2], parts[3]);
  }

  private static ModelName of(String text, String host, String namespace, String model, String tag)
      throws StoreException {
    String problem = problem(host, namespace, model, tag);
    if (problem != null) {
      throw invalid(text, problem);
    }
    return new ModelName(host, namespace, model, tag);
  }

  /** The first problem with these parts, or null when all are valid. */
  private static String problem(String host, String namespace, String model, String tag) {
    for (Part part : Part.values()) {
      String value =
          switch (part) {
            case HOST -> host;
            case NAMESPACE -> namespace;
            case MODEL -> model;
            case TAG -> tag;
          };
      String problem = problem(part, value);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** The registry repository, {@code namespace/model}. */
  public String repository() {
    return namespace + "/" + model;
  }

  /**
   * The shortest unambiguous form, as {@code ollama list} shows it: {@code llama3:8b}, {@code
   * user/m:latest}, or the full name for other hosts. Used as the metrics label.
   */
  public String displayShortest() {
    if (host.equalsIgnoreCase(DEFAULT_HOST)) {
      if (namespace.equalsIgnoreCase(DEFAULT_NAMESPACE)) {
        return model + ":" + tag;
      }
      return namespace + "/" + model + ":" + tag;
    }
    return toString();
  }

  /** Ollama treats names that differ only in case as the same model. */
  public boolean sameAs(ModelName other) {
    return key().equals(other.key());
  }

  /** A case-folded key for maps and de-duplication. */
  public String key() {
    return toString().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return host + "/" + namespace + "/" + model + ":" + tag;
  }

  private static void check(Part part, String value) {
    String problem = problem(part, value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private static String problem(Part part, String value) {
    if (value == null || value.isEmpty()) {
      return "the " + part.label() + " is empty";
    }
    if (value.length() > part.maxLength) {
      return "the "
          + part.label()
          + " is "
          + value.length()
          + " characters long, at most "
          + part.maxLength
          + " are allowed";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      boolean ok = alnum || c == '_' || (i > 0 && part.extra.indexOf(c) >= 0);
      if (!ok) {
        return "the "
            + part.label()
            + " '"
            + Digest.clip(value)
            + "' has "
            + describe(value.codePointAt(i))
            + " at position "
            + (i + 1)
            + "; allowed are ASCII letters, digits and '_', and after the first character also '"
            + String.join("', '", part.extra.split(""))
            + "'";
      }
    }
    return null;
  }

  /** Names the offending character so that invisible and look-alike ones can be told apart. */
  private static String describe(int c) {
    if (c < 0x20 || c == 0x7f) {
      return String.format(Locale.ROOT, "the control character U+%04X", c);
    }
    if (c == ' ') {
      return "a space";
    }
    if (c > 0x7f) {
      return String.format(Locale.ROOT, "the non-ASCII character U+%04X", c);
    }
    return "'" + (char) c + "'";
  }

  private static StoreException invalid(String text, String why) {
    return new StoreException(
        StoreException.Reason.INVALID_NAME,
        "invalid model name '"
            + Digest.clip(text)
            + "': "
            + why
            + " (expected [host/][namespace/]model[:tag], e.g. llama3.2:3b)");
  }

  private static StoreException invalidPath(String path, String why) {
    return new StoreException(
        StoreException.Reason.INVALID_NAME,
        "invalid manifest path '"
            + Digest.clip(path)
            + "': "
            + why
            + " (expected manifests/<host>/<namespace>/<model>/<tag>, e.g."
            + " manifests/registry.ollama.ai/library/llama3.2/3b)");
  }
}
