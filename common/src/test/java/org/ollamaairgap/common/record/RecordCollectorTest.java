package org.ollamaairgap.common.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.record.RecordCollector.Outcome;

class RecordCollectorTest {
  static final StoreIdentity STORE = new StoreIdentity("/models", 100, 10);
  static final Digest A = Sha256.of(new byte[] {1});
  static final Instant START = Instant.parse("2026-12-02T06:00:00Z");
  static final Clock CLOCK = Clock.fixed(START.plusSeconds(30), ZoneOffset.UTC);

  static long nanos(Instant t) {
    return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
  }

  static FileStamp changedAt(Instant t) {
    return new FileStamp(10, 5, 1000, nanos(t), nanos(t));
  }

  RecordCollector collector() {
    return new RecordCollector(STORE, CLOCK, Duration.ofSeconds(10));
  }

  @Test
  void recordsABlobThatStayedTheSameWhileItWasRead() {
    RecordCollector collector = collector();
    FileStamp stamp = changedAt(START.minusSeconds(60));

    assertThat(collector.hashed(A, stamp, stamp, START, null)).isEqualTo(Outcome.RECORDED);

    VerificationRecord record = collector.build();
    assertThat(record.store()).isEqualTo(STORE);
    assertThat(record.writtenAt()).isEqualTo(START.plusSeconds(30));
    assertThat(record.blob(A)).isEqualTo(new RecordedBlob(A, stamp, START, null));
  }

  @Test
  void leavesOutABlobThatChangedWhileItWasRead() {
    RecordCollector collector = collector();
    FileStamp before = changedAt(START.minusSeconds(60));
    FileStamp after = new FileStamp(10, 5, 1000, before.mtimeNanos(), before.ctimeNanos() + 1);

    assertThat(collector.hashed(A, before, after, START, null))
        .isEqualTo(Outcome.CHANGED_WHILE_READ);
    assertThat(collector.hashed(A, null, after, START, null)).isEqualTo(Outcome.CHANGED_WHILE_READ);
    assertThat(collector.build().blobs()).isEmpty();
  }

  @Test
  void leavesOutABlobChangedJustBeforeTheHash() {
    RecordCollector collector = collector();
    FileStamp recent = changedAt(START.minusSeconds(9));
    FileStamp settled = changedAt(START.minusSeconds(11));
    FileStamp inTheFuture = changedAt(START.plusSeconds(3600));

    assertThat(collector.hashed(A, recent, recent, START, null)).isEqualTo(Outcome.TOO_RECENT);
    assertThat(collector.hashed(A, inTheFuture, inTheFuture, START, null))
        .isEqualTo(Outcome.TOO_RECENT);
    assertThat(collector.size()).isZero();
    assertThat(collector.hashed(A, settled, settled, START, null)).isEqualTo(Outcome.RECORDED);
  }

  @Test
  void aTouchedBackMtimeStillCountsByItsCtime() {
    RecordCollector collector = collector();
    FileStamp touched = new FileStamp(10, 5, 1000, nanos(START.minusSeconds(3600)), nanos(START));

    assertThat(collector.hashed(A, touched, touched, START, null)).isEqualTo(Outcome.TOO_RECENT);
  }

  @Test
  void carriedBlobKeepsWhenItWasReallyHashed() {
    RecordCollector collector = collector();
    RecordedBlob old =
        new RecordedBlob(A, changedAt(START.minusSeconds(7200)), START.minusSeconds(3600), null);

    collector.carried(old);

    assertThat(collector.build().blob(A).hashedAt()).isEqualTo(START.minusSeconds(3600));
  }
}
