package org.ollamaairgap.stager.redact;

import io.quarkus.logging.LoggingFilter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Runs every log line through the {@link Redactor} before it is written (the console handler uses
 * it, see {@code quarkus.log.console.filter}). A record's exception is kept when its text holds no
 * credential; otherwise it is folded into the message, redacted, and its stack dropped.
 */
@LoggingFilter(name = "redact")
public final class RedactingLogFilter implements Filter {
  @Override
  public boolean isLoggable(LogRecord record) {
    String message = formatted(record);
    String clean = Redactor.redact(message);
    if (!clean.equals(message) || record.getParameters() != null) {
      record.setMessage(clean);
      record.setParameters(null);
      if (record instanceof ExtLogRecord ext) {
        ext.setMessage(clean, ExtLogRecord.FormatStyle.NO_FORMAT);
      }
    }
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      String trace = trace(thrown);
      String cleanTrace = Redactor.redact(trace);
      if (!cleanTrace.equals(trace)) {
        record.setThrown(null);
        String folded = clean + " (" + Redactor.redact(String.valueOf(thrown.getMessage())) + ")";
        record.setMessage(folded);
        if (record instanceof ExtLogRecord ext) {
          ext.setMessage(folded, ExtLogRecord.FormatStyle.NO_FORMAT);
        }
      }
    }
    return true;
  }

  private static String formatted(LogRecord record) {
    if (record instanceof ExtLogRecord ext) {
      String m = ext.getFormattedMessage();
      return m == null ? "" : m;
    }
    return record.getMessage() == null ? "" : new SimpleFormatter().formatMessage(record);
  }

  private static String trace(Throwable thrown) {
    StringWriter s = new StringWriter();
    thrown.printStackTrace(new PrintWriter(s));
    return s.toString();
  }
}
