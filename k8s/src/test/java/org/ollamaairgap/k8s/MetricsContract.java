package org.ollamaairgap.k8s;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The stager's metrics as DESIGN §3 fixes them, as Prometheus scrapes them. */
final class MetricsContract {

  /** Series names; the timer shows up as _count, _sum and _max. */
  static final Set<String> SERIES =
      Set.of(
          "stager_model_size_bytes",
          "stager_model_completed_bytes",
          "stager_model_state",
          "stager_transferred_bytes_total",
          "stager_retries_total",
          "stager_pull_duration_seconds_count",
          "stager_pull_duration_seconds_sum",
          "stager_pull_duration_seconds_max",
          "stager_models");

  /** Values of the `state` label. */
  static final Set<String> STATES = Set.of("pending", "pulling", "verifying", "done", "failed");

  /** Metrics from elsewhere that the alerts may use: kube-state-metrics' Job status. */
  static final Set<String> FOREIGN = Set.of("kube_job_failed");

  private static final Pattern METRIC = Pattern.compile("\\b(stager_[a-z_]+|kube_[a-z_]+)\\b");

  private static final Pattern STATE = Pattern.compile("\\bstate\\s*=~?\\s*\"([^\"]*)\"");

  private MetricsContract() {}

  static Set<String> metricsIn(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = METRIC.matcher(promql);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  static Set<String> statesIn(String promql) {
    Set<String> states = new TreeSet<>();
    Matcher matcher = STATE.matcher(promql);
    while (matcher.find()) {
      states.add(matcher.group(1));
    }
    return states;
  }
}
