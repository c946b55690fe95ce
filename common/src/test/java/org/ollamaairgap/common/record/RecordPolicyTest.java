package org.ollamaairgap.common.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.record.Decision.Reason;

class RecordPolicyTest {
  static final Digest BLOB = Sha256.of(new byte[] {1});
  static final Digest OTHER = Sha256.of(new byte[] {2});
  static final Digest INVENTORY = Sha256.of(new byte[] {3});
  static final Digest OTHER_INVENTORY = Sha256.of(new byte[] {4});
  static final long SIZE = 1_000_000;
  static final long T = 1_764_000_000_000_000_000L; // nanoseconds since the epoch
  static final StoreIdentity STORE = new StoreIdentity("/models", 100, 10);
  static final FileStamp STAMP = new FileStamp(10, 5, SIZE, T, T + 7);
  static final Instant HASHED = Instant.parse("2026-12-02T05:00:00Z");
  static final Instant TWO_HOURS_LATER = HASHED.plus(Duration.ofHours(2));

  /** One row: what differs from the recorded state, and what the policy must decide. */
  record Row(
      String name,
      UnaryOperator<FileStamp> now,
      long rootDeviceNow,
      long recordedDevice,
      Digest recordedInventory,
      Digest trustedInventory,
      Instant clock,
      Duration reverifyAfter,
      Reason expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row row(String name, UnaryOperator<FileStamp> now, Reason expected) {
    return new Row(name, now, 10, 10, null, null, TWO_HOURS_LATER, Duration.ofDays(7), expected);
  }

  static Row withClock(Row r, Instant clock, Duration reverifyAfter) {
    return new Row(
        r.name,
        r.now,
        r.rootDeviceNow,
        r.recordedDevice,
        r.recordedInventory,
        r.trustedInventory,
        clock,
        reverifyAfter,
        r.expected);
  }

  static Row withDevices(Row r, long rootNow, long recordedBlobDevice) {
    return new Row(
        r.name,
        r.now,
        rootNow,
        recordedBlobDevice,
        r.recordedInventory,
        r.trustedInventory,
        r.clock,
        r.reverifyAfter,
        r.expected);
  }

  static Row withInventories(Row r, Digest recorded, Digest trusted) {
    return new Row(
        r.name,
        r.now,
        r.rootDeviceNow,
        r.recordedDevice,
        recorded,
        trusted,
        r.clock,
        r.reverifyAfter,
        r.expected);
  }

  static FileStamp with(FileStamp s, long device, long inode, long size, long mtime, long ctime) {
    return new FileStamp(device, inode, size, mtime, ctime);
  }

  static Stream<Row> table() {
    UnaryOperator<FileStamp> same = s -> s;
    return Stream.of(
        row("unchanged", same, Reason.ACCEPTED),
        row("size changed", s -> with(s, 10, 5, SIZE - 1, T, T + 7), Reason.SIZE_CHANGED),
        row("mtime changed", s -> with(s, 10, 5, SIZE, T + 1, T + 9), Reason.MTIME_CHANGED),
        // touch -d can put the mtime back; the ctime cannot be set back by anyone.
        row(
            "ctime changed, mtime put back",
            s -> with(s, 10, 5, SIZE, T, T + 9),
            Reason.CTIME_CHANGED),
        row(
            "inode changed (renamed over)",
            s -> with(s, 10, 6, SIZE, T, T + 7),
            Reason.INODE_CHANGED),
        row(
            "device changed, store root not",
            s -> with(s, 11, 5, SIZE, T, T + 7),
            Reason.DEVICE_CHANGED),
        withDevices(
            row(
                "store remounted: blob follows the root's new device",
                s -> with(s, 77, 5, SIZE, T, T + 7),
                Reason.ACCEPTED),
            77,
            10),
        withDevices(
            row(
                "store remounted, blob left on the old device",
                s -> with(s, 10, 5, SIZE, T, T + 7),
                Reason.DEVICE_CHANGED),
            77,
            10),
        withDevices(
            row(
                "blob on its own mount, store remounted, blob mount unchanged",
                s -> with(s, 20, 5, SIZE, T, T + 7),
                Reason.ACCEPTED),
            77,
            20),
        withDevices(
            row(
                "blob on its own mount, now on the root's device",
                s -> with(s, 77, 5, SIZE, T, T + 7),
                Reason.DEVICE_CHANGED),
            77,
            20),
        withClock(
            row("expired", same, Reason.EXPIRED),
            HASHED.plus(Duration.ofDays(7)),
            Duration.ofDays(7)),
        withClock(
            row("a second before expiry", same, Reason.ACCEPTED),
            HASHED.plus(Duration.ofDays(7)).minusSeconds(1),
            Duration.ofDays(7)),
        withClock(
            row("reverify-after 0 hashes everything", same, Reason.EXPIRED),
            TWO_HOURS_LATER,
            Duration.ZERO),
        withClock(
            row("hashed in the future", same, Reason.HASHED_IN_FUTURE),
            HASHED.minusSeconds(1),
            Duration.ofDays(7)),
        row("metadata unreadable", s -> null, Reason.NO_STAMP),
        withInventories(
            row(
                "recorded by whole-file hash, inventory trusted now",
                same,
                Reason.INVENTORY_DISAGREES),
            null,
            INVENTORY),
        withInventories(
            row("recorded against the inventory trusted now", same, Reason.ACCEPTED),
            INVENTORY,
            INVENTORY),
        withInventories(
            row(
                "recorded against an inventory, none trusted now",
                same,
                Reason.INVENTORY_DISAGREES),
            INVENTORY,
            null),
        withInventories(
            row("recorded against another inventory", same, Reason.INVENTORY_DISAGREES),
            OTHER_INVENTORY,
            INVENTORY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(Row r) {
    FileStamp recordedStamp = with(STAMP, r.recordedDevice, 5, SIZE, T, T + 7);
    VerificationRecord record =
        new VerificationRecord(
            STORE,
            HASHED,
            Map.of(BLOB, new RecordedBlob(BLOB, recordedStamp, HASHED, r.recordedInventory)));
    StoreIdentity now = new StoreIdentity("/models", 100, r.rootDeviceNow);
    RecordPolicy policy =
        new RecordPolicy(record, now, r.reverifyAfter, Clock.fixed(r.clock, ZoneOffset.UTC));

    Decision decision = policy.decide(BLOB, SIZE, r.now.apply(recordedStamp), r.trustedInventory);

    assertThat(decision.reason()).isEqualTo(r.expected);
    assertThat(decision.accepted()).isEqualTo(r.expected == Reason.ACCEPTED);
    if (!decision.accepted()) {
      assertThat(decision.describe()).startsWith("hashed: " + r.expected.words());
    }
  }

  RecordPolicy policy(VerificationRecord record) {
    return new RecordPolicy(
        record, STORE, Duration.ofDays(7), Clock.fixed(TWO_HOURS_LATER, ZoneOffset.UTC));
  }

  VerificationRecord recorded() {
    return new VerificationRecord(
        STORE, HASHED, Map.of(BLOB, new RecordedBlob(BLOB, STAMP, HASHED, null)));
  }

  @Test
  void acceptedBlobSaysHowLongAgoItWasHashed() {
    Decision decision = policy(recorded()).decide(BLOB, SIZE, STAMP, null);

    assertThat(decision.describe()).isEqualTo("accepted from the record: hashed 2h ago");
    assertThat(decision.age()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void sizeTheManifestGivesMustMatchTheRecordedOne() {
    Decision decision = policy(recorded()).decide(BLOB, SIZE + 1, STAMP, null);

    assertThat(decision.reason()).isEqualTo(Reason.SIZE_CHANGED);
    assertThat(decision.describe())
        .isEqualTo("hashed: size changed (recorded 1000000, now 1000000, expected 1000001)");
  }

  @Test
  void changedTimesAreNamedInTheReason() {
    Decision decision =
        policy(recorded())
            .decide(BLOB, SIZE, with(STAMP, 10, 5, SIZE, T + 1_000_000_000L, T + 7), null);

    assertThat(decision.describe())
        .isEqualTo("hashed: mtime changed (2025-11-24T16:00:00Z -> 2025-11-24T16:00:01Z)");
  }

  @Test
  void expiryNamesTheFlagAndItsEnvironmentVariable() {
    RecordPolicy policy =
        new RecordPolicy(
            recorded(), STORE, Duration.ofHours(1), Clock.fixed(TWO_HOURS_LATER, ZoneOffset.UTC));

    assertThat(policy.decide(BLOB, SIZE, STAMP, null).describe())
        .isEqualTo(
            "hashed: hashed too long ago (2h ago, --reverify-after / VERIFIER_REVERIFY_AFTER is"
                + " PT1H)");
  }

  @Test
  void blobNotInTheRecordIsHashed() {
    assertThat(policy(recorded()).decide(OTHER, SIZE, STAMP, null).reason())
        .isEqualTo(Reason.NOT_RECORDED);
  }

  @Test
  void recordOfAnotherStoreIsNeverConsulted() {
    VerificationRecord elsewhere =
        new VerificationRecord(
            new StoreIdentity("/models", 101, 10),
            HASHED,
            Map.of(BLOB, new RecordedBlob(BLOB, STAMP, HASHED, null)));

    RecordPolicy policy = policy(elsewhere);

    assertThat(policy.hasRecord()).isFalse();
    assertThat(policy.decide(BLOB, SIZE, STAMP, null).reason()).isEqualTo(Reason.NO_RECORD);
    assertThat(policy.recorded(BLOB)).isNull();
  }

  @Test
  void withoutARecordEverythingIsHashed() {
    RecordPolicy policy = policy(null);

    assertThat(policy.decide(BLOB, SIZE, STAMP, null).reason()).isEqualTo(Reason.NO_RECORD);
  }

  @Test
  void agesAreShownInTheirLargestWholeUnit() {
    assertThat(Decision.ago(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(Decision.ago(Duration.ofMinutes(59).plusSeconds(59))).isEqualTo("59m");
    assertThat(Decision.ago(Duration.ofHours(23))).isEqualTo("23h");
    assertThat(Decision.ago(Duration.ofDays(9))).isEqualTo("9d");
  }
}
