package org.ollamaairgap.verifier;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * The health of {@code verifier watch} on the management port: {@code /q/health/started} UP after a
 * first pass with no ERROR (Ollama, the next container, starts only then), {@code /q/health/ready}
 * DOWN while the last pass found an ERROR (the pod leaves the Service), {@code /q/health/live}
 * always UP: restarting the sidecar would not repair the export.
 */
final class WatchHealth {
  private WatchHealth() {}

  /** {@code /q/health/started}. */
  @Startup
  @ApplicationScoped
  static class FirstPass implements HealthCheck {
    private final WatchStatus status;

    FirstPass(WatchStatus status) {
      this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.named("first verification pass").status(status.started()).build();
    }
  }

  /** {@code /q/health/ready}. */
  @Readiness
  @ApplicationScoped
  static class LastPass implements HealthCheck {
    private final WatchStatus status;

    LastPass(WatchStatus status) {
      this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
      String down = status.downReason();
      if (down == null) {
        return HealthCheckResponse.up("store verified");
      }
      return HealthCheckResponse.named("store verified").down().withData("reason", down).build();
    }
  }

  /** {@code /q/health/live}. */
  @Liveness
  @ApplicationScoped
  static class Alive implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.up("verifier watch");
    }
  }
}
