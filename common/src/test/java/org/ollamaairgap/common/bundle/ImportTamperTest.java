package org.ollamaairgap.common.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.sign.Ed25519Keys;
import org.ollamaairgap.common.sign.Envelope;
import org.ollamaairgap.common.sign.EnvelopeVerifier;
import org.ollamaairgap.common.sign.Signer;
import org.ollamaairgap.common.sign.SigningKey;
import org.ollamaairgap.common.sign.Statement;
import org.ollamaairgap.common.sign.StoreSubjects;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * The tampered-bundle table: each damage refuses the damaged model only, names the file, and leaves
 * what the store held before byte-identical. Keys are real openssl keys.
 */
class ImportTamperTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final SyntheticModel TINY = SyntheticModel.typical("tiny", 1, 200_000);
  static final SyntheticModel SMALL = SyntheticModel.typical("small", 2, 300_000);
  static final SyntheticModel KEPT = SyntheticModel.typical("kept", 3, 100_000);

  @TempDir Path dir;
  Path bundle;
  Path dst;
  Map<String, String> before;
  SigningKey key;
  Path pub;
  Path otherPub;

  @BeforeEach
  void setUp() throws Exception {
    StoreBuilder src = StoreBuilder.at(dir.resolve("src")).add(TINY).add(SMALL);
    bundle = dir.resolve("bundle");
    Path[] a = keyPair("a");
    Path[] b = keyPair("b");
    key = Ed25519Keys.readPrivate(a[0]);
    pub = a[1];
    otherPub = b[1];
    Map<String, byte[]> files = signedFiles(key, List.of(TINY, SMALL));
    try (DirectorySink sink = new DirectorySink(bundle)) {
      new Exporter(src.layout(), BundleListener.NONE)
          .export(List.of(TINY.name(), SMALL.name()), sink, files);
    }
    dst = StoreBuilder.at(dir.resolve("dst")).add(KEPT).root();
    before = Trees.of(dst);
  }

  Path[] keyPair(String name) throws Exception {
    Path k = dir.resolve(name + ".pem");
    Path p = dir.resolve(name + ".pub.pem");
    BundleRoundTripTest.run("openssl", "genpkey", "-algorithm", "ed25519", "-out", k.toString());
    BundleRoundTripTest.run(
        "openssl", "pkey", "-in", k.toString(), "-pubout", "-out", p.toString());
    return new Path[] {k, p};
  }

  /** An inventory and its envelope over these models, as the stager's signing will write them. */
  static Map<String, byte[]> signedFiles(SigningKey key, List<SyntheticModel> models)
      throws IOException {
    byte[] inventory =
        ("{\"version\":1,\"models\":" + models.size() + "}").getBytes(StandardCharsets.UTF_8);
    List<Statement.Subject> subjects = new ArrayList<>();
    subjects.add(new Statement.Subject(StoreSubjects.INVENTORY, Sha256.of(inventory)));
    for (SyntheticModel m : models) {
      subjects.add(new Statement.Subject(StoreSubjects.manifest(m.name()), m.manifest().digest()));
      for (Digest d : m.blobs().keySet()) {
        subjects.add(new Statement.Subject(StoreSubjects.blob(d), d));
      }
    }
    Statement s = Statement.of(subjects, Statement.INVENTORY_PREDICATE, JSON.readTree(inventory));
    Envelope e = new Signer(key).sign(Statement.PAYLOAD_TYPE, s.toJson());
    Map<String, byte[]> files = new HashMap<>();
    files.put(OciLayout.INVENTORY, inventory);
    files.put(OciLayout.ENVELOPE, e.toJson());
    return files;
  }

  List<ModelOutcome> importWith(Path trustKey) throws Exception {
    BundleTrust trust =
        trustKey == null
            ? null
            : new BundleTrust(new EnvelopeVerifier(Ed25519Keys.readPublic(trustKey)));
    Importer importer =
        new Importer(new StoreWriter(new StoreLayout(dst)), BundleListener.NONE, trust);
    try (DirectorySource source = new DirectorySource(bundle)) {
      return importer.apply(importer.plan(source));
    }
  }

  static ModelOutcome of(List<ModelOutcome> out, SyntheticModel m) {
    return out.stream().filter(o -> o.name().equals(m.name())).findFirst().orElseThrow();
  }

  void assertOnlyKeptAnd(SyntheticModel... imported) throws IOException {
    Map<String, String> now = Trees.of(dst);
    for (Map.Entry<String, String> e : before.entrySet()) {
      assertThat(now).containsEntry(e.getKey(), e.getValue());
    }
    List<String> manifests =
        now.keySet().stream().filter(k -> k.startsWith("manifests/")).sorted().toList();
    List<String> expected =
        new ArrayList<>(
            List.of(
                new StoreLayout(dst)
                    .root()
                    .relativize(new StoreLayout(dst).manifest(KEPT.name()))
                    .toString()));
    for (SyntheticModel m : imported) {
      expected.add(
          new StoreLayout(dst)
              .root()
              .relativize(new StoreLayout(dst).manifest(m.name()))
              .toString());
    }
    assertThat(manifests).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void signedBundle_withTheTrustedKey_importsBoth() throws Exception {
    List<ModelOutcome> out = importWith(pub);

    assertThat(out).allMatch(ModelOutcome::ok);
    assertOnlyKeptAnd(TINY, SMALL);
  }

  @Test
  void blobByte_flipped_refusesThatModel_namingTheBlob() throws Exception {
    Digest weights = TINY.layers().get(0).blob().digest();
    flip(bundle.resolve("blobs/sha256/" + weights.hex()), 5000);

    List<ModelOutcome> out = importWith(pub);

    assertThat(of(out, TINY).error())
        .contains("blob blobs/sha256/" + weights.hex() + " in bundle " + bundle)
        .contains(
            "expected 200000 bytes with "
                + weights
                + "; the bundle is damaged; no manifest written");
    assertThat(of(out, SMALL).ok()).isTrue();
    assertOnlyKeptAnd(SMALL);
    assertThat(new StoreLayout(dst).blob(weights)).doesNotExist();
  }

  @Test
  void manifestByte_flipped_refusesThatModel_namingTheManifest() throws Exception {
    flip(bundle.resolve("blobs/sha256/" + SMALL.manifest().digest().hex()), 10);

    List<ModelOutcome> out = importWith(null);

    assertThat(of(out, SMALL).error())
        .contains("manifest blobs/sha256/" + SMALL.manifest().digest().hex())
        .contains("but index.json says");
    assertOnlyKeptAnd(TINY);
  }

  @Test
  void indexEntry_pointedAtAnotherManifest_isRefusedBySignature() throws Exception {
    // An attacker who can edit index.json and add blobs cannot make a signed import take them.
    Path index = bundle.resolve("index.json");
    String text = Files.readString(index);
    Files.writeString(
        index,
        text.replace(TINY.manifest().digest().toString(), SMALL.manifest().digest().toString())
            .replace(
                "\"size\" : " + TINY.manifestBytes().length,
                "\"size\" : " + SMALL.manifestBytes().length));

    List<ModelOutcome> out = importWith(pub);

    assertThat(of(out, TINY).error())
        .contains("its manifest in the bundle is " + SMALL.manifest().digest())
        .contains("but the signed inventory lists " + TINY.manifest().digest());
    assertOnlyKeptAnd(SMALL);
  }

  @Test
  void signature_tampered_refusesEveryModel() throws Exception {
    Path env = bundle.resolve(OciLayout.ENVELOPE);
    Envelope e = Envelope.parse(Files.readAllBytes(env), "e");
    byte[] payload = e.payload();
    payload[payload.length - 3] ^= 0x01;
    Files.write(env, new Envelope(e.payloadType(), payload, e.signatures()).toJson());

    List<ModelOutcome> out = importWith(pub);

    assertThat(out).hasSize(2).allSatisfy(o -> assertThat(o.error()).contains("was tampered with"));
    assertOnlyKeptAnd();
  }

  @Test
  void wrongKey_refusesEveryModel_namingTheKeys() throws Exception {
    List<ModelOutcome> out = importWith(otherPub);

    assertThat(out)
        .allSatisfy(
            o ->
                assertThat(o.error())
                    .contains("is signed by key " + key.keyId())
                    .contains("none of the trusted keys"));
    assertOnlyKeptAnd();
  }

  @Test
  void envelopeFromAnotherStore_signedWithTheRightKey_refusesTheModelsItDoesNotList()
      throws Exception {
    Map<String, byte[]> other = signedFiles(key, List.of(KEPT));
    Files.write(bundle.resolve(OciLayout.ENVELOPE), other.get(OciLayout.ENVELOPE));
    Files.write(bundle.resolve(OciLayout.INVENTORY), other.get(OciLayout.INVENTORY));

    List<ModelOutcome> out = importWith(pub);

    assertThat(of(out, TINY).error())
        .contains("model registry.ollama.ai/library/tiny:latest is not in the signed inventory")
        .contains("the envelope is from another store or export");
    assertOnlyKeptAnd();
  }

  @Test
  void inventoryFile_changedAfterSigning_isRefused() throws Exception {
    Files.writeString(bundle.resolve(OciLayout.INVENTORY), "{\"version\":1,\"models\":99}");

    List<ModelOutcome> out = importWith(pub);

    assertThat(out)
        .allSatisfy(
            o ->
                assertThat(o.error())
                    .contains("inventory.json in bundle")
                    .contains("it was changed after signing"));
    assertOnlyKeptAnd();
  }

  @Test
  void missingEnvelope_withATrustKey_isRefused_neverAFallback() throws Exception {
    Files.delete(bundle.resolve(OciLayout.ENVELOPE));

    List<ModelOutcome> out = importWith(pub);

    assertThat(out)
        .allSatisfy(
            o ->
                assertThat(o.error())
                    .contains(
                        "inventory.dsse.json in bundle "
                            + bundle
                            + " is missing: the bundle is unsigned"));
    assertOnlyKeptAnd();
  }

  @Test
  void missingBlob_refusesThatModel_namingTheBlob() throws Exception {
    Digest weights = SMALL.layers().get(0).blob().digest();
    Files.delete(bundle.resolve("blobs/sha256/" + weights.hex()));

    List<ModelOutcome> out = importWith(pub);

    assertThat(of(out, SMALL).error())
        .contains("blobs/sha256/" + weights.hex() + " is missing from bundle " + bundle);
    assertOnlyKeptAnd(TINY);
  }

  @Test
  void resume_aDamagedBlobLeftInTheStore_isHashedAndReplaced() throws Exception {
    Digest weights = TINY.layers().get(0).blob().digest();
    StoreLayout layout = new StoreLayout(dst);
    Files.copy(bundle.resolve("blobs/sha256/" + weights.hex()), layout.blob(weights));
    flip(layout.blob(weights), 7);
    List<Digest> reused = new ArrayList<>();
    BundleListener listener =
        new BundleListener() {
          @Override
          public void blobDone(Digest digest, long size, boolean alreadyThere) {
            if (alreadyThere) {
              reused.add(digest);
            }
          }
        };
    Importer importer = new Importer(new StoreWriter(layout), listener, null);
    try (DirectorySource source = new DirectorySource(bundle)) {
      assertThat(importer.apply(importer.plan(source))).allMatch(ModelOutcome::ok);
    }
    assertThat(Sha256.file(layout.blob(weights), n -> {}).digest()).isEqualTo(weights);
    assertThat(reused).doesNotContain(weights);

    reused.clear();
    try (DirectorySource source = new DirectorySource(bundle)) {
      assertThat(importer.apply(importer.plan(source))).allMatch(ModelOutcome::ok);
    }
    assertThat(reused).containsAll(TINY.blobs().keySet());
  }

  static void flip(Path file, long offset) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[(int) offset] ^= 0x01;
    Files.write(file, b);
  }

  static ModelName name(String s) throws Exception {
    return ModelName.parse(s);
  }
}
