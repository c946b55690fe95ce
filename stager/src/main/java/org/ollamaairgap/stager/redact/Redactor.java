package org.ollamaairgap.stager.redact;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Takes credentials out of text before anyone sees it. Two kinds are removed: values the stager
 * learnt are secret (a registry token, a proxy's user and password), wherever they appear, and
 * whatever looks like a credential by its shape ({@code Authorization} values, {@code Bearer}
 * tokens, the user info of a URL, a URL's query, {@code password=}-style pairs), so that a secret
 * echoed back by a hostile server in a form we did not foresee is still caught.
 *
 * <p>The known secrets are process-wide on purpose: the log filter is made by the logging system,
 * not by the run, and a token learnt deep in the registry client must reach it.
 */
public final class Redactor {
  /** What a removed credential reads as. */
  public static final String MASK = "[redacted]";

  /** Shorter values are too likely to occur by chance to be replaced wherever they appear. */
  private static final int MIN_SECRET = 4;

  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

  private static final List<Rule> RULES =
      List.of(
          // "Authorization: Bearer x", "Proxy-Authorization=Basic x", header dumps and the like.
          new Rule(
              "(?i)\\b((?:proxy-)?authorization\\b\\s*[:=]\\s*)(?:(?:bearer|basic)\\s+)?[^\\s,;\"]+",
              "$1" + MASK),
          new Rule("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]+", "$1" + MASK),
          // scheme://user:pass@host
          new Rule("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@\"]+@", "$1" + MASK + "@"),
          // Pre-signed CDN URLs carry their credentials in the query.
          new Rule("(?i)\\b(https?://[^\\s?#\"]+)\\?[^\\s#\"]+", "$1?" + MASK),
          new Rule(
              "(?i)\\b((?:access_?token|token|password|passwd|secret|signature|sig"
                  + "|x-amz-signature|x-amz-credential|x-goog-signature|x-goog-credential)"
                  + "\\s*[=:]\\s*)[^\\s&,;\"]+",
              "$1" + MASK));

  private Redactor() {}

  /**
   * Remembers a secret, so that it is masked wherever it shows up from now on; with it its JSON
   * escape and, for {@code user:password}, the Basic form a proxy header carries.
   */
  public static void secret(String value) {
    if (value == null || value.length() < MIN_SECRET) {
      return;
    }
    SECRETS.add(value);
    SECRETS.add(value.replace("\\", "\\\\").replace("\"", "\\\""));
    if (value.indexOf(':') > 0) {
      SECRETS.add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** The text with every known secret and every credential-shaped part replaced by the mask. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    // Longest first, so that a secret containing another is masked whole.
    for (String secret :
        SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
      out = out.replace(secret, MASK);
    }
    for (Rule rule : RULES) {
      out = rule.pattern.matcher(out).replaceAll(rule.replacement);
    }
    return out;
  }

  private record Rule(Pattern pattern, String replacement) {
    Rule(String regex, String replacement) {
      this(Pattern.compile(regex), replacement);
    }
  }
}
