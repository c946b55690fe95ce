package org.ollamaairgap.testing;

/**
 * One misbehaviour {@link Nginx} injects for requests under a path prefix; build them with the
 * static factories and attach them with {@link Nginx.Builder#fault(String, Fault)}.
 *
 * @param kind what happens
 * @param value the rate, status, byte count or Retry-After seconds, depending on the kind
 * @param times how many requests per path get the fault before nginx answers normally; {@link
 *     #ALWAYS} for every request
 */
public record Fault(Kind kind, long value, int times) {
  /** {@link #times()} for a fault on every request. */
  public static final int ALWAYS = -1;

  /** What the fault does. */
  public enum Kind {
    /** The response body flows at {@code value} bytes per second ({@code limit_rate}). */
    SLOW,
    /** The answer is status {@code value} with the body {@code injected fault <status>\n}. */
    STATUS,
    /** The answer is {@code 503} with {@code Retry-After: value} (seconds) and the same body. */
    UNAVAILABLE,
    /** nginx closes the connection without any response ({@code return 444}). */
    DROP,
    /**
     * The blob (or manifest) is served from storage with the full, correct {@code Content-Length}
     * (honouring {@code Range}), but the connection closes after {@code value} body bytes.
     */
    TRUNCATE,
    /** The blob is served with the right length and headers, but its first body byte is flipped. */
    CORRUPT,
    /**
     * Any request carrying an {@code Authorization} header gets {@code 400}, as object stores do.
     */
    REJECT_AUTHORIZATION
  }

  /** Validates the value and the count. */
  public Fault {
    if (times == 0 || times < ALWAYS) {
      throw new IllegalArgumentException("times must be positive or ALWAYS, got " + times);
    }
    if (value < 0) {
      throw new IllegalArgumentException("negative fault value " + value);
    }
  }

  /** Sends response bodies at {@code bytesPerSecond}. */
  public static Fault slow(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive, got " + bytesPerSecond);
    }
    return new Fault(Kind.SLOW, bytesPerSecond, ALWAYS);
  }

  /** Answers {@code status} with a short text body instead of the real response. */
  public static Fault status(int status) {
    if (status < 200 || status > 599 || status == 444) {
      throw new IllegalArgumentException("not an HTTP status for a fault: " + status);
    }
    return new Fault(Kind.STATUS, status, ALWAYS);
  }

  /** Answers {@code 503} with {@code Retry-After: retryAfterSeconds}. */
  public static Fault unavailable(int retryAfterSeconds) {
    return new Fault(Kind.UNAVAILABLE, retryAfterSeconds, ALWAYS);
  }

  /** Closes the connection without answering. */
  public static Fault drop() {
    return new Fault(Kind.DROP, 0, ALWAYS);
  }

  /** Sends headers with the full length, then only {@code bodyBytes} bytes, then closes. */
  public static Fault truncateAfter(long bodyBytes) {
    return new Fault(Kind.TRUNCATE, bodyBytes, ALWAYS);
  }

  /** Sends the blob with its first byte flipped (same length, wrong digest). */
  public static Fault corrupt() {
    return new Fault(Kind.CORRUPT, 0, ALWAYS);
  }

  /** Answers {@code 400} to any request that has an {@code Authorization} header. */
  public static Fault rejectAuthorization() {
    return new Fault(Kind.REJECT_AUTHORIZATION, 0, ALWAYS);
  }

  /**
   * The same fault for only the first {@code count} requests of each path (counted per URI without
   * query, HEAD included); later requests are answered normally.
   */
  public Fault times(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    if (kind == Kind.REJECT_AUTHORIZATION) {
      throw new IllegalArgumentException("rejectAuthorization() applies to every request");
    }
    return new Fault(kind, value, count);
  }

  /** Whether the fault serves the content itself from the registry storage. */
  boolean servesFromStorage() {
    return kind == Kind.TRUNCATE || kind == Kind.CORRUPT;
  }
}
