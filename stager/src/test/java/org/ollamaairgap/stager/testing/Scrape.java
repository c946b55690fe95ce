package org.ollamaairgap.stager.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text exposition read into {@code series -> value}, with series written as {@code
 * name{label="v",...}} in the order scraped, without the trailing comma the simpleclient format
 * adds. Only our {@code stager_} series are kept.
 */
public final class Scrape {
  private static final Pattern LINE = Pattern.compile("^(stager_[a-z_]+)(\\{(.*)\\})? (\\S+)$");

  private Scrape() {}

  public static Map<String, Double> parse(String text) {
    Map<String, Double> series = new LinkedHashMap<>();
    for (String line : text.split("\n", -1)) {
      Matcher m = LINE.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      String labels = m.group(3) == null ? "" : m.group(3).replaceAll(",$", "");
      String key = labels.isEmpty() ? m.group(1) : m.group(1) + "{" + labels + "}";
      series.put(key, Double.parseDouble(m.group(4)));
    }
    return series;
  }
}
