package org.ollamaairgap.stager.lock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Several locks taken in order within one wait, released in reverse. In a cluster the Lease comes
 * first (visible with kubectl, naming the holder pod), then the lock file, which also stops writers
 * the Lease cannot see: a stager in another namespace or cluster, or on a workstation, writing the
 * same NFS export.
 */
public final class LockChain implements StoreLock {
  private final List<StoreLock> locks;
  private final Clock clock;

  public LockChain(List<StoreLock> locks, Clock clock) {
    this.locks = List.copyOf(locks);
    this.clock = clock;
  }

  @Override
  public String describe() {
    return locks.stream().map(StoreLock::describe).collect(Collectors.joining(" and "));
  }

  @Override
  public Held acquire(Duration wait) throws LockHeldException, LockException {
    Instant deadline = clock.instant().plus(wait);
    List<Held> taken = new ArrayList<>();
    try {
      for (StoreLock lock : locks) {
        Duration left = Duration.between(clock.instant(), deadline);
        taken.add(lock.acquire(left.isNegative() ? Duration.ZERO : left));
      }
    } catch (LockHeldException | LockException | RuntimeException e) {
      release(taken);
      throw e;
    }
    return new Held() {
      @Override
      public Optional<String> lost() {
        return taken.stream().map(Held::lost).flatMap(Optional::stream).findFirst();
      }

      @Override
      public void close() {
        release(taken);
      }
    };
  }

  private static void release(List<Held> taken) {
    for (int i = taken.size() - 1; i >= 0; i--) {
      taken.get(i).close();
    }
  }
}
