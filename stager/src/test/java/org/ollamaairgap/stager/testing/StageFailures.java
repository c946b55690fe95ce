package org.ollamaairgap.stager.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ollamaairgap.stager.driver.StageException;

/** The one way the tests check that staging failed: a StageException, its reason, its message. */
public final class StageFailures {
  private StageFailures() {}

  /**
   * Runs {@code call}, asserts it threw a {@link StageException} for {@code reason}, and returns an
   * assertion on its message for the caller to finish.
   */
  public static AbstractStringAssert<?> assertStageFailure(
      ThrowingCallable call, StageException.Reason reason) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(StageException.class);
    StageException e = (StageException) thrown;
    assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(reason);
    return assertThat(e.getMessage());
  }

  /** {@link #assertStageFailure}, for a reason that stops the whole run (exit 3). */
  public static AbstractStringAssert<?> assertEnvironmentFailure(
      ThrowingCallable call, StageException.Reason reason) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(StageException.class);
    StageException e = (StageException) thrown;
    assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(reason);
    assertThat(e.reason().environment()).as("%s stops the run", reason).isTrue();
    return assertThat(e.getMessage());
  }
}
