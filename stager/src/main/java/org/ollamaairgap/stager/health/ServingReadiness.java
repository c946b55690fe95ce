package org.ollamaairgap.stager.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready}: UP while the stager serves, which is all a Job pod needs. */
@Readiness
@ApplicationScoped
public class ServingReadiness implements HealthCheck {
  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.up("serving metrics");
  }
}
