package org.ollamaairgap.stager.lock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Who this stager is, as another stager waiting for the lock will read it.
 *
 * @param owner the pod name in a cluster, else {@code user@host}
 * @param host the host name (the node's, or the pod's, which is the pod name)
 * @param pid this process
 * @param bootId the kernel's boot id; null where there is none to read. With the same host and PID
 *     namespace it makes "no process {@code pid}" proof that the holder is dead, not merely a
 *     process on another machine or of an earlier boot
 * @param pidNamespace the PID namespace ({@code pid:[N]}), so two containers with the same host
 *     name, whose PIDs mean different processes, never judge each other's; null where unknown
 */
public record Identity(String owner, String host, long pid, String bootId, String pidNamespace) {
  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
  private static final Path PID_NAMESPACE = Path.of("/proc/self/ns/pid");

  /** An identity whose liveness nobody can check (another machine, as far as we know). */
  public Identity(String owner, String host, long pid) {
    this(owner, host, pid, null, null);
  }

  /** From the environment: {@code POD_NAME} (downward API) when set, else the user and host. */
  public static Identity current(Map<String, String> env) {
    String host = hostName(env);
    String pod = env.get("POD_NAME");
    String owner =
        pod != null && !pod.isBlank()
            ? pod
            : System.getProperty("user.name", "unknown") + "@" + host;
    return new Identity(
        owner, host, ProcessHandle.current().pid(), readBootId(), readPidNamespace());
  }

  /**
   * Whether a lock holder that wrote these values is provably gone: it ran on this host, in this
   * boot and PID namespace, and no process has its pid any more. Anything unknown is not proof.
   */
  public boolean outlived(String host, String bootId, String pidNamespace, long pid) {
    return this.bootId != null
        && this.pidNamespace != null
        && this.host.equals(host)
        && this.bootId.equals(bootId)
        && this.pidNamespace.equals(pidNamespace)
        && pid > 0
        && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  private static String readBootId() {
    try {
      String id = Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip();
      return id.isEmpty() ? null : id;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String readPidNamespace() {
    try {
      return Files.readSymbolicLink(PID_NAMESPACE).toString();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String hostName(Map<String, String> env) {
    String name = env.get("HOSTNAME");
    if (name != null && !name.isBlank()) {
      return name;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }

  /** {@code owner (host, pid N)}, for messages. */
  public String describe() {
    return owner + " (host " + host + ", pid " + pid + ")";
  }
}
