package org.ollamaairgap.stager.lock;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The content of a lock file: who holds it and when it last said it is alive.
 *
 * @param owner pod name or {@code user@host}
 * @param host host name
 * @param pid process id on that host
 * @param token random per acquisition; tells our lock apart from a successor's
 * @param acquiredAt ISO-8601
 * @param heartbeat ISO-8601, rewritten by the holder while it runs
 * @param bootId the holder's kernel boot id, or null (see {@link Identity#bootId()})
 * @param pidNamespace the holder's PID namespace, or null (see {@link Identity#pidNamespace()})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LockRecord(
    String owner,
    String host,
    long pid,
    String token,
    String acquiredAt,
    String heartbeat,
    String bootId,
    String pidNamespace) {

  /** {@code owner (host h, pid p)}. */
  public String describe() {
    return owner + " (host " + host + ", pid " + pid + ")";
  }
}
