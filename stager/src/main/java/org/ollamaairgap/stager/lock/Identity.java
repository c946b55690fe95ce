package org.ollamaairgap.stager.lock;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Who this stager is, as another stager waiting for the lock will read it.
 *
 * @param owner the pod name in a cluster, else {@code user@host}
 * @param host the host name (the node's, or the pod's, which is the pod name)
 * @param pid this process
 */
public record Identity(String owner, String host, long pid) {

  /** From the environment: {@code POD_NAME} (downward API) when set, else the user and host. */
  public static Identity current(Map<String, String> env) {
    String host = hostName(env);
    String pod = env.get("POD_NAME");
    String owner =
        pod != null && !pod.isBlank()
            ? pod
            : System.getProperty("user.name", "unknown") + "@" + host;
    return new Identity(owner, host, ProcessHandle.current().pid());
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
