package org.ollamaairgap.stager.registry;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.testing.TestOptions;

/**
 * Runs the registry driver without Quarkus, for the benchmark script and the kill-and-resume test
 * (a child JVM killed with SIGKILL). Not the product's CLI: that is the stager app.
 *
 * <p>{@code StageCli --models-dir D [--insecure] [--parts N] [--part-size B] [--mirror URL]
 * [--max-bandwidth B] model...}; exit 0, 1 (a model failed) or 3 (environment).
 */
public final class StageCli {
  private StageCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) {
    TestOptions.Registry o = TestOptions.registry();
    Path dir = null;
    List<String> models = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--models-dir" -> dir = Path.of(args[++i]);
        case "--insecure" -> o.insecure(true);
        case "--parts" -> o.parts(Integer.parseInt(args[++i]));
        case "--part-size" -> o.partSize(Long.parseLong(args[++i]));
        case "--max-bandwidth" -> o.maxBandwidth(Long.parseLong(args[++i]));
        case "--mirror" -> o.mirror(URI.create(args[++i]));
        default -> models.add(args[i]);
      }
    }
    AtomicLong transferred = new AtomicLong();
    PullListener listener =
        new PullListener() {
          @Override
          public void transferred(ModelName model, long bytes) {
            transferred.addAndGet(bytes);
          }

          @Override
          public void retry(ModelName model, String reason) {
            out.println("retry " + model + ": " + reason);
          }
        };
    int exit = 0;
    try (RegistryDriver driver = new RegistryDriver(new StoreLayout(dir), o.build())) {
      for (String text : models) {
        ModelName name = ModelName.parse(text);
        try {
          Manifest m = driver.stage(name, driver.resolve(name), listener);
          // A tool for the benchmark and the kill test: no re-hash, the product's run does that.
          driver.commit(name, m);
          out.println("staged " + name + " " + m.digest() + " " + m.totalSize() + " bytes");
        } catch (StageException e) {
          out.println("failed " + name + " " + e.reason() + ": " + e.getMessage());
          if (e.reason().environment()) {
            return 3;
          }
          exit = 1;
        }
      }
    } catch (StoreException e) {
      out.println(e.getMessage());
      return 2;
    }
    out.println("transferred " + transferred.get());
    out.flush();
    return exit;
  }
}
