package org.ollamaairgap.stager.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.verify.Requirement;
import org.ollamaairgap.common.verify.Severity;
import org.ollamaairgap.common.verify.StoreVerifier;
import org.ollamaairgap.common.verify.VerificationReport;
import org.ollamaairgap.common.verify.VerifyListener;

/**
 * A store under attack and what must survive it: {@code models/} (the store), {@code outside/}
 * (files beside it that the stager must never touch, the target of the test's symlinks), the report
 * and termination log files; a model staged before the attack, pinned to its manifest digest.
 */
public final class HostileStore {
  private final Path tmp;
  private final Path models;
  private final Path outside;
  private final List<Requirement> pins = new ArrayList<>();
  private Map<String, String> before;

  public HostileStore(Path tmp) throws IOException {
    this.tmp = tmp;
    this.models = tmp.resolve("models");
    this.outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "not the stager's\n");
    Files.createDirectories(outside.resolve("sub"));
    Files.writeString(outside.resolve("sub/other.json"), "{\"mine\":true}\n");
    Files.createFile(terminationLog());
  }

  public Path models() {
    return models;
  }

  public StoreLayout layout() {
    return new StoreLayout(models);
  }

  public Path outside() {
    return outside;
  }

  public Path report() {
    return tmp.resolve("report.json");
  }

  public Path terminationLog() {
    return tmp.resolve("termination-log");
  }

  /** The program's arguments for this store: registry driver, no linger, report, log. */
  public List<String> args() {
    return List.of(
        "--driver",
        "registry",
        "--insecure",
        "--linger",
        "0",
        "--retries",
        "1",
        "--kubernetes",
        "false",
        "--models-dir",
        models.toString(),
        "--report",
        report().toString(),
        "--termination-log",
        terminationLog().toString());
  }

  /** Remembers a staged model's manifest digest, for {@link #assertUntouchedAndGoodVerifies}. */
  public void pin(ModelName name, String manifestDigest) throws Exception {
    pins.add(Requirement.expect(name + "@" + manifestDigest));
  }

  /** Records everything under {@code outside/} (paths, link targets, bytes). */
  public void snapshotOutside() throws IOException {
    before = snapshot(outside);
  }

  /** Nothing under {@code outside/} changed since {@link #snapshotOutside()}. */
  public void assertOutsideUntouched() throws IOException {
    assertThat(before).as("snapshotOutside() was called").isNotNull();
    assertThat(snapshot(outside)).as("files outside the store").isEqualTo(before);
  }

  /** Nothing under {@code outside/} changed, and every pinned model verifies with full hashing. */
  public void assertUntouchedAndGoodVerifies() throws Exception {
    assertOutsideUntouched();
    VerificationReport report =
        new StoreVerifier(layout(), new StoreVerifier.Options(true, 2, pins), VerifyListener.NONE)
            .verify();
    assertThat(report.findings())
        .as("errors in the pinned store")
        .noneSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
    assertThat(report.ok()).isTrue();
  }

  /** The model has no manifest in the store. */
  public void assertNotStaged(ModelName name) {
    assertThat(layout().manifest(name)).doesNotExist();
  }

  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String key = dir.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          files.put(key, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          files.put(key, Files.readString(p));
        } else {
          files.put(key, "dir");
        }
      }
    }
    return files;
  }
}
