package org.ollamaairgap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts fixtures on demand and stops them after the test (or after the
 * class when used from {@code @BeforeAll} with a static field). Use it as {@code @RegisterExtension
 * static final Fixtures fixtures = new Fixtures();} or {@code final Fixtures fixtures = ...} on an
 * instance field.
 *
 * <p>Each fixture gets a directory {@code target/fixtures/<class>.<method>-<fixture>-<n>} (or in
 * the system temp directory outside Maven) holding its config, storage and logs. Directories of
 * passing tests are deleted; those of failing tests stay so the logs can be read.
 */
public final class Fixtures
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private final Deque<AutoCloseable> classScope = new ArrayDeque<>();
  private final Deque<AutoCloseable> testScope = new ArrayDeque<>();
  private final Deque<Path> classDirs = new ArrayDeque<>();
  private final Deque<Path> testDirs = new ArrayDeque<>();
  private boolean inTest;
  private Path root;
  private String owner = "test";

  @Override
  public void beforeAll(ExtensionContext context) {
    owner = context.getRequiredTestClass().getSimpleName();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    inTest = true;
    owner =
        context.getRequiredTestClass().getSimpleName()
            + "."
            + context.getRequiredTestMethod().getName();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    inTest = false;
    finish(testScope, testDirs, context);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    finish(classScope, classDirs, context);
  }

  /** A new empty directory for one fixture, named after the test and {@code prefix}. */
  public Path newDir(String prefix) throws IOException {
    if (root == null) {
      Path target = Path.of("target");
      Path base = Files.isDirectory(target) ? target.resolve("fixtures") : Path.of(tmp());
      Files.createDirectories(base);
      root = base.toAbsolutePath();
    }
    Path dir = Files.createTempDirectory(root, owner + "-" + prefix + "-");
    (inTest ? testDirs : classDirs).push(dir);
    return dir;
  }

  private static String tmp() {
    return System.getProperty("java.io.tmpdir");
  }

  /** Closes {@code resource} at the end of the current test (or class). */
  public <T extends AutoCloseable> T closeAfter(T resource) {
    (inTest ? testScope : classScope).push(resource);
    return resource;
  }

  /** Starts an empty writable registry. */
  public LocalRegistry registry() throws IOException {
    return closeAfter(LocalRegistry.start(newDir("registry")));
  }

  /** Starts an nginx configured by {@code config} (which must call cdn(...) or proxy(...)). */
  public Nginx nginx(UnaryOperator<Nginx.Builder> config) throws IOException {
    return closeAfter(config.apply(Nginx.builder(newDir("nginx"))).start());
  }

  /** Starts origin registry, CDN and redirecting registry (see {@link RegistryWithCdn}). */
  public RegistryWithCdn registryWithCdn() throws IOException {
    return registryWithCdn(UnaryOperator.identity());
  }

  /** Like {@link #registryWithCdn()} with faults added to the CDN's builder. */
  public RegistryWithCdn registryWithCdn(UnaryOperator<Nginx.Builder> cdnConfig)
      throws IOException {
    return closeAfter(RegistryWithCdn.start(newDir("cdn-setup"), cdnConfig));
  }

  private static void finish(Deque<AutoCloseable> scope, Deque<Path> dirs, ExtensionContext context)
      throws Exception {
    Exception failure = null;
    while (!scope.isEmpty()) {
      try {
        scope.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    boolean keep = context.getExecutionException().isPresent() || failure != null;
    while (!dirs.isEmpty()) {
      Path dir = dirs.pop();
      if (!keep) {
        deleteTree(dir);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete fixture directory " + dir, e);
    }
  }
}
