package org.ollamaairgap.common.bundle;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.sign.Ed25519Keys;
import org.ollamaairgap.common.sign.EnvelopeVerifier;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;

/**
 * Runs the bundle engine without Quarkus, for the benchmark script and the kill-and-resume test (a
 * child JVM killed with SIGKILL). Not the product's CLI: that is {@code stager export/import}.
 *
 * <pre>
 *   BundleCli export --models a,b --models-dir SRC --to DIR|-
 *   BundleCli import --from DIR|- --models-dir DST [--trust-key PUB.pem]
 * </pre>
 *
 * Exit 0, 1 (a model failed) or 3 (anything else). Lines go to stderr, so {@code --to -} keeps
 * stdout for the tar stream.
 */
public final class BundleCli {
  private BundleCli() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.in, System.out, System.err));
  }

  static int run(String[] args, InputStream stdin, OutputStream stdout, PrintStream err) {
    String models = "";
    Path dir = null;
    String to = null;
    String from = null;
    Path trust = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--models" -> models = args[++i];
        case "--models-dir" -> dir = Path.of(args[++i]);
        case "--to" -> to = args[++i];
        case "--from" -> from = args[++i];
        case "--trust-key" -> trust = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    try {
      List<ModelOutcome> out;
      if (args[0].equals("export")) {
        List<ModelName> names = new ArrayList<>();
        for (String n : models.split(",")) {
          names.add(ModelName.parse(n.strip()));
        }
        try (BundleSink sink =
            "-".equals(to) ? new TarSink(stdout) : new DirectorySink(Path.of(to))) {
          out =
              new Exporter(new StoreLayout(dir), BundleListener.NONE).export(names, sink, Map.of());
        }
      } else {
        BundleTrust t =
            trust == null
                ? null
                : new BundleTrust(new EnvelopeVerifier(Ed25519Keys.readPublic(trust)));
        Importer importer =
            new Importer(new StoreWriter(new StoreLayout(dir)), BundleListener.NONE, t);
        try (BundleSource source =
            "-".equals(from)
                ? new TarSource(stdin, BundleListener.NONE)
                : new DirectorySource(Path.of(from))) {
          Importer.Plan plan = importer.plan(source);
          Files.createDirectories(dir);
          long usable = Files.getFileStore(dir).getUsableSpace();
          if (plan.missingBytes() > usable) {
            err.println(
                "not enough space: " + plan.missingBytes() + " bytes needed, " + usable + " free");
            return 3;
          }
          out = importer.apply(plan);
        }
      }
      int exit = 0;
      for (ModelOutcome o : out) {
        err.println((o.ok() ? "ok " : "failed ") + o.name() + (o.ok() ? "" : ": " + o.error()));
        exit = o.ok() ? exit : 1;
      }
      return exit;
    } catch (Exception e) {
      err.println("error: " + e.getMessage());
      return 3;
    }
  }
}
