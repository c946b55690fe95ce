package org.ollamaairgap.stager.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /q/health/live}: DOWN while a transfer is stalled, so the kubelet restarts the pod and the
 * Job resumes from what is already on disk. UP before the run starts and after it ends.
 */
@Liveness
@ApplicationScoped
public class StallLiveness implements HealthCheck {
  private volatile StallWatch watch;

  /** Starts watching a run. */
  public void watch(StallWatch watch) {
    this.watch = watch;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("transfer progress");
    StallWatch current = watch;
    if (current == null) {
      return response.up().build();
    }
    Optional<StallWatch.Stall> stall = current.stalled();
    if (stall.isEmpty()) {
      return response
          .up()
          .withData("stallTimeoutSeconds", current.stallTimeout().toSeconds())
          .build();
    }
    return response
        .down()
        .withData("model", stall.get().model())
        .withData("secondsSinceLastByte", stall.get().silent().toSeconds())
        .withData("stallTimeoutSeconds", current.stallTimeout().toSeconds())
        .build();
  }
}
