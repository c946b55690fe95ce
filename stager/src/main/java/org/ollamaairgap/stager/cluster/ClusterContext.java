package org.ollamaairgap.stager.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.ollamaairgap.app.UsageException;

/**
 * Whether the stager talks to Kubernetes, and as which pod.
 *
 * @param enabled use the API (Lease, ConfigMap, Events); false: lock file only, no API call ever
 * @param namespace the pod's namespace ({@code POD_NAMESPACE}, else the service account's)
 * @param podName the pod ({@code POD_NAME}, else {@code HOSTNAME}, which Kubernetes sets to it)
 * @param podUid the pod's uid ({@code POD_UID}) when given, so {@code kubectl describe pod} lists
 *     the Events; empty when not
 */
public record ClusterContext(boolean enabled, String namespace, String podName, String podUid) {
  /** Where Kubernetes mounts the pod's service account. */
  public static final Path SERVICE_ACCOUNT =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /** Kubernetes off. */
  public static ClusterContext disabled() {
    return new ClusterContext(false, "", "", "");
  }

  /**
   * Decides from {@code --kubernetes}: {@code auto} (default) uses the API only inside a pod, that
   * is with {@code KUBERNETES_SERVICE_HOST} set and a service-account token mounted; {@code true}
   * always (e.g. from a workstation with a kubeconfig, then POD_NAMESPACE and POD_NAME are needed);
   * {@code false} never.
   */
  public static ClusterContext detect(String mode, Map<String, String> env, Path serviceAccount)
      throws UsageException {
    String normalized = mode.trim().toLowerCase(Locale.ROOT);
    boolean enabled;
    switch (normalized) {
      case "false" -> enabled = false;
      case "true" -> enabled = true;
      case "auto" ->
          enabled =
              present(env.get("KUBERNETES_SERVICE_HOST"))
                  && Files.isRegularFile(serviceAccount.resolve("token"));
      default ->
          throw new UsageException("--kubernetes must be auto, true or false, not '" + mode + "'");
    }
    if (!enabled) {
      return disabled();
    }
    String namespace = first(env.get("POD_NAMESPACE"), read(serviceAccount.resolve("namespace")));
    String pod = first(env.get("POD_NAME"), env.get("HOSTNAME"));
    if (namespace == null || pod == null) {
      throw new UsageException(
          "--kubernetes="
              + normalized
              + " needs the pod's namespace and name: set POD_NAMESPACE and POD_NAME from the"
              + " downward API (fieldRef metadata.namespace and metadata.name), or use"
              + " --kubernetes=false");
    }
    String uid = first(env.get("POD_UID"), "");
    return new ClusterContext(true, namespace, pod, uid);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static String first(String a, String b) {
    return present(a) ? a.trim() : present(b) ? b.trim() : null;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return null;
    }
  }
}
