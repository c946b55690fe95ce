package org.ollamaairgap.stager.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.ollamaairgap.common.progress.ModelState;

/**
 * One human line per busy model each time {@link #tick} runs (the app calls it every {@code
 * progress-interval}): percent, bytes done of total, the rate since the last line and an ETA. A
 * verifying model gets a hashing line instead, so a long re-hash never looks like a hang.
 */
public final class ProgressLog {
  private final ProgressTracker tracker;
  private final Consumer<String> out;
  private final Map<String, Sample> last = new HashMap<>();

  private record Sample(Instant at, long bytes, ModelState state) {}

  public ProgressLog(ProgressTracker tracker, Consumer<String> out) {
    this.tracker = tracker;
    this.out = out;
  }

  /** Logs a line for every model that is pulling or verifying. */
  public synchronized void tick() {
    Instant now = tracker.clock().instant();
    for (ModelProgress model : tracker.all()) {
      ModelState state = model.state();
      if (state != ModelState.PULLING && state != ModelState.VERIFYING) {
        continue;
      }
      long bytes = state == ModelState.PULLING ? model.transferred() : model.hashed();
      Sample previous = last.put(model.label(), new Sample(now, bytes, state));
      double rate = Double.NaN;
      if (previous != null && previous.state() == state) {
        long nanos = Duration.between(previous.at(), now).toNanos();
        if (nanos > 0) {
          rate = (bytes - previous.bytes()) * 1e9 / nanos;
        }
      }
      out.accept(state == ModelState.PULLING ? pulling(model, rate) : verifying(model, rate));
    }
  }

  static String pulling(ModelProgress model, double rate) {
    long size = model.size();
    long done = model.completed();
    return model.label()
        + ": pulling "
        + percent(done, size)
        + " "
        + bytes(done)
        + " of "
        + (size > 0 ? bytes(size) : "unknown")
        + ", "
        + rate(rate)
        + ", ETA "
        + eta(size - done, rate, size > 0);
  }

  static String verifying(ModelProgress model, double rate) {
    long size = model.size();
    long done = Math.min(model.hashed(), size);
    return model.label()
        + ": verifying "
        + percent(done, size)
        + " "
        + bytes(done)
        + " of "
        + bytes(size)
        + " re-hashed, "
        + rate(rate)
        + ", ETA "
        + eta(size - done, rate, size > 0);
  }

  static String percent(long done, long total) {
    if (total <= 0) {
      return "?%";
    }
    return String.format(Locale.ROOT, "%.1f%%", 100.0 * done / total);
  }

  /** Binary units, as {@code ollama list} and {@code df -h} show sizes. */
  public static String bytes(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (Math.abs(value) >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  static String rate(double bytesPerSecond) {
    if (Double.isNaN(bytesPerSecond)) {
      return "rate unknown";
    }
    return bytes(Math.round(bytesPerSecond)) + "/s";
  }

  static String eta(long remaining, double rate, boolean sizeKnown) {
    if (!sizeKnown || Double.isNaN(rate) || rate <= 0) {
      return "unknown";
    }
    long seconds = (long) Math.ceil(Math.max(0, remaining) / rate);
    if (seconds >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
    if (seconds >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return seconds + "s";
  }
}
