package org.ollamaairgap.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.testing.SyntheticModel;

class ManifestTest {
  private static final String MODEL = Descriptor.MODEL_MEDIA_TYPE;
  private static final String CONFIG = Descriptor.CONFIG_MEDIA_TYPE;

  /**
   * The shape registry.ollama.ai serves (issue #7726): compact, schemaVersion first, descriptors
   * with digest before mediaType, the weights first and two separate licence layers.
   */
  private static final String REGISTRY =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
          + "\"config\":{\"digest\":\"sha256:34bb5ab01051a11372a91f95f3fbbc51173eed8e7f13ec395b9ae9b8bd0e242b\","
          + "\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":561},"
          + "\"layers\":["
          + "{\"digest\":\"sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff\","
          + "\"mediaType\":\"application/vnd.ollama.image.model\",\"size\":2019377376},"
          + "{\"digest\":\"sha256:966de95ca8a62200913e3f8bfbf84c8494536f1b94b49166851e76644e966396\","
          + "\"mediaType\":\"application/vnd.ollama.image.template\",\"size\":1429},"
          + "{\"digest\":\"sha256:fcc5a6bec9daf9b561a68827b67ab6088e1dba9d1fa2a50d7bbcc8384e0a265d\","
          + "\"mediaType\":\"application/vnd.ollama.image.license\",\"size\":7711},"
          + "{\"digest\":\"sha256:a70ff7e570d97baaf4e62ac6e6ad9975e04caa6d900d3742d37698494479e0cd\","
          + "\"mediaType\":\"application/vnd.ollama.image.license\",\"size\":6016},"
          + "{\"digest\":\"sha256:56bb8bd477a519e9f7bd1bd9f6e3aa7f0d8ab0e9d1b1c1b7c1a4f8aa8f3a6b1b\","
          + "\"mediaType\":\"application/vnd.ollama.image.params\",\"size\":96}]}";

  private static final String HEX_C = "c".repeat(64);
  private static final String HEX_1 = "1".repeat(64);
  private static final String HEX_2 = "2".repeat(64);
  private static final String HEX_3 = "3".repeat(64);

  @Test
  void parsesASyntheticModelExactlyAsTheRegistryServesIt() throws Exception {
    SyntheticModel model = SyntheticModel.typical("llama3.2:3b", 7, 100_000);
    byte[] bytes = model.manifestBytes();

    Manifest manifest = Manifest.parse(bytes);

    assertThat(manifest.schemaVersion()).isEqualTo(2);
    assertThat(manifest.mediaType()).isEqualTo(Manifest.MEDIA_TYPE);
    assertThat(manifest.config())
        .isEqualTo(new Descriptor(CONFIG, model.config().digest(), model.config().size()));
    assertThat(manifest.layers())
        .extracting(Descriptor::mediaType, Descriptor::digest, Descriptor::size)
        .containsExactlyElementsOf(
            model.layers().stream()
                .map(
                    l ->
                        org.assertj.core.groups.Tuple.tuple(
                            l.mediaType(), l.blob().digest(), l.blob().size()))
                .toList());
    assertThat(manifest.blobs().keySet()).containsExactlyElementsOf(model.blobs().keySet());
    assertThat(manifest.totalSize())
        .isEqualTo(model.blobs().values().stream().mapToLong(b -> b.size()).sum())
        .isGreaterThan(100_000);
    assertThat(manifest.bytes()).isEqualTo(bytes);
    assertThat(manifest.digest()).isEqualTo(Digest.of(sha256(bytes)));
    assertThat(manifest).isEqualTo(model.manifest()).hasSameHashCodeAs(model.manifest());
  }

  @Test
  void parsesALiteralRegistryManifest() throws StoreException {
    Manifest manifest = Manifest.parse(utf8(REGISTRY));

    assertThat(manifest.config().digest().shortHex()).isEqualTo("34bb5ab01051");
    assertThat(manifest.config().mediaType()).isEqualTo(CONFIG);
    assertThat(manifest.config().size()).isEqualTo(561);
    assertThat(manifest.layers())
        .extracting(Descriptor::mediaType)
        .containsExactly(
            MODEL,
            "application/vnd.ollama.image.template",
            "application/vnd.ollama.image.license",
            "application/vnd.ollama.image.license",
            "application/vnd.ollama.image.params");
    assertThat(manifest.layers().get(0).size()).isEqualTo(2_019_377_376L);
    assertThat(manifest.layers()).allSatisfy(l -> assertThat(l.from()).isNull());
    assertThat(manifest.layers()).allSatisfy(l -> assertThat(l.name()).isNull());
    assertThat(manifest.totalSize()).isEqualTo(561L + 2_019_377_376L + 1429 + 7711 + 6016 + 96);
    assertThat(manifest.blobs()).hasSize(6);
    assertThat(manifest.descriptors()).hasSize(6).first().isEqualTo(manifest.config());
    assertThat(manifest.digest()).isEqualTo(Digest.of(sha256(utf8(REGISTRY))));
    assertThat(manifest)
        .hasToString("Manifest[" + manifest.digest() + ", 5 layers, 2019393189 bytes]");
  }

  @Test
  void toleratesUnknownFieldsMediaTypesAndAMissingManifestMediaType() throws StoreException {
    String json =
        "{\"schemaVersion\":2,\"subject\":{\"x\":[1,2,{}]},\"annotations\":{\"a\":\"b\"},"
            + "\"config\":{\"digest\":\"sha256:"
            + HEX_C
            + "\",\"mediaType\":\"application/vnd.example.future+json\",\"size\":3,"
            + "\"urls\":[\"https://x\"],\"platform\":null},"
            + "\"layers\":[{\"digest\":\"sha256:"
            + HEX_1
            + "\",\"mediaType\":\"application/vnd.ollama.image.hologram\",\"size\":0,"
            + "\"annotations\":{\"org.opencontainers.image.title\":\"w\"}},"
            + "{\"digest\":\"sha256-"
            + HEX_2
            + "\",\"size\":5}],\"future\":true}";

    Manifest manifest = Manifest.parse(utf8(json));

    assertThat(manifest.mediaType()).isNull();
    assertThat(manifest.config().mediaType()).isEqualTo("application/vnd.example.future+json");
    assertThat(manifest.layers())
        .extracting(Descriptor::mediaType)
        .containsExactly("application/vnd.ollama.image.hologram", null);
    assertThat(manifest.layers().get(1).digest().hex()).isEqualTo(HEX_2);
    assertThat(manifest.totalSize()).isEqualTo(8);
  }

  @Test
  void keepsOptionalFromAndName() throws StoreException {
    String json =
        "{\"schemaVersion\":2,\"config\":"
            + desc(HEX_C, 2)
            + ",\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"sha256:"
            + HEX_1
            + "\",\"size\":10,\"from\":\"/root/.ollama/models/blobs/sha256-"
            + HEX_1
            + "\"},{\"mediaType\":\"application/vnd.ollama.image.tensor\",\"digest\":\"sha256:"
            + HEX_2
            + "\",\"size\":20,\"name\":\"model.embed_tokens.weight\"},"
            + "{\"mediaType\":\"x\",\"digest\":\"sha256:"
            + HEX_3
            + "\",\"size\":30,\"from\":null,\"name\":null}]}";

    Manifest manifest = Manifest.parse(utf8(json));

    assertThat(manifest.layers())
        .extracting(Descriptor::from, Descriptor::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/root/.ollama/models/blobs/sha256-" + HEX_1, null),
            org.assertj.core.groups.Tuple.tuple(null, "model.embed_tokens.weight"),
            org.assertj.core.groups.Tuple.tuple(null, null));
  }

  @Test
  void keepsTheExactBytesAndHashesThem() throws StoreException {
    String compact = REGISTRY;
    String pretty = REGISTRY.replace(",", ",\n  ").replace("{", "{ ") + "\n";
    byte[] input = utf8(pretty);

    Manifest a = Manifest.parse(utf8(compact));
    Manifest b = Manifest.parse(input);
    Manifest c = Manifest.parse(utf8(compact + "\n"));

    // Same content, different bytes: a different Ollama model ID, as re-encoding would cause.
    assertThat(b.config()).isEqualTo(a.config());
    assertThat(b.layers()).isEqualTo(a.layers());
    assertThat(b.digest()).isNotEqualTo(a.digest()).isEqualTo(Digest.of(sha256(input)));
    assertThat(c.digest()).isNotEqualTo(a.digest());
    assertThat(b).isNotEqualTo(a);
    assertThat(b.bytes()).isEqualTo(input);
    // Neither the caller's array nor the returned one can change the manifest afterwards.
    Arrays.fill(input, (byte) ' ');
    b.bytes()[0] = 'x';
    assertThat(b.bytes()).isEqualTo(utf8(pretty));
    assertThat(b.digest()).isEqualTo(Digest.of(sha256(utf8(pretty))));
  }

  @Test
  void blobsListEachDigestOnceAndTotalSizeCountsItOnce() throws StoreException {
    String json =
        "{\"schemaVersion\":2,\"config\":"
            + desc(HEX_C, 100)
            + ",\"layers\":["
            + desc(HEX_1, 1000)
            + ","
            + desc(HEX_2, 10)
            + ","
            + desc(HEX_2, 10)
            + ","
            + desc(HEX_C, 100)
            + ","
            + desc(HEX_3, 1)
            + "]}";

    Manifest manifest = Manifest.parse(utf8(json));

    assertThat(manifest.layers()).hasSize(5);
    assertThat(manifest.descriptors()).hasSize(6);
    assertThat(manifest.blobs().keySet())
        .extracting(Digest::hex)
        .containsExactly(HEX_C, HEX_1, HEX_2, HEX_3);
    assertThat(manifest.totalSize()).isEqualTo(1111);
    assertThatThrownBy(() -> manifest.blobs().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> manifest.layers().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void acceptsNoLayersAndTheLargestSize() throws StoreException {
    Manifest empty =
        Manifest.parse(
            utf8("{\"schemaVersion\":2,\"config\":" + desc(HEX_C, 7) + ",\"layers\":[]}"));
    Manifest huge =
        Manifest.parse(
            utf8(
                "{\"schemaVersion\":2,\"config\":"
                    + desc(HEX_C, 0)
                    + ",\"layers\":["
                    + desc(HEX_1, Long.MAX_VALUE)
                    + "]}"));

    assertThat(empty.layers()).isEmpty();
    assertThat(empty.totalSize()).isEqualTo(7);
    assertThat(huge.totalSize()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void acceptsExactlyMaxBytesAndRejectsOneMoreBeforeParsing() throws StoreException {
    byte[] atLimit = padded(REGISTRY, Manifest.MAX_BYTES);

    assertThat(Manifest.parse(atLimit).layers()).hasSize(5);
    // Unparseable content proves the size check comes first: no JSON error, no nesting error.
    byte[] tooBig = new byte[Manifest.MAX_BYTES + 1];
    Arrays.fill(tooBig, (byte) '[');
    assertThatThrownBy(() -> Manifest.parse(tooBig))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.MANIFEST_INVALID))
        .hasMessage(
            "invalid manifest: it is 4194305 bytes, more than the 4194304 a manifest may have");
    assertThatThrownBy(() -> Manifest.parse(padded(REGISTRY, Manifest.MAX_BYTES + 1)))
        .hasMessage(
            "invalid manifest: it is 4194305 bytes, more than the 4194304 a manifest may have");
  }

  @Test
  void toleratesAHugeUnknownStringButClipsAHugeBadValueInTheMessage() throws StoreException {
    String big = "x".repeat(3 * 1024 * 1024);
    String tolerated =
        REGISTRY.replace("{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"x\":\"" + big + "\",");

    assertThat(Manifest.parse(utf8(tolerated)).layers()).hasSize(5);
    String badDigest =
        "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:"
            + big
            + "\",\"size\":1},\"layers\":[]}";
    assertThatThrownBy(() -> Manifest.parse(utf8(badDigest)))
        .hasMessage(
            "invalid manifest: config.digest: invalid digest 'sha256:"
                + "x".repeat(93)
                + "...(3145735 chars)': expected sha256:<64 lowercase hex>");
    String badVersion = "{\"schemaVersion\":\"" + big + "\",\"config\":{},\"layers\":[]}";
    assertThatThrownBy(() -> Manifest.parse(utf8(badVersion)))
        .hasMessage(
            "invalid manifest: schemaVersion is string \"" + "x".repeat(59) + "..., expected 2");
  }

  /** One valid config and layers, referred to as $C, $L1, $L2 in the table below. */
  private static String expand(String template) {
    return template
        .replace("$C", desc(HEX_C, 3))
        .replace("$L1", desc(HEX_1, 5))
        .replace("$L2", desc(HEX_2, 7))
        .replace("$D3", "sha256:" + HEX_3);
  }

  static Stream<Arguments> hostile() {
    String head = "{\"schemaVersion\":2,\"config\":$C,\"layers\":[$L1,$L2,";
    String deep = "[".repeat(5000) + "]".repeat(5000);
    return Stream.of(
        // Not a JSON object at all.
        row("", "it is empty"),
        row(" \n\t\r ", "it is empty"),
        row("hello", "not a JSON object: it starts with 'h' at offset 0, expected '{'"),
        row("[]", "not a JSON object: it starts with '[' at offset 0, expected '{'"),
        row("  [$C]", "not a JSON object: it starts with '[' at offset 2, expected '{'"),
        row("\"{}\"", "not a JSON object: it starts with '\"' at offset 0, expected '{'"),
        row("null", "not a JSON object: it starts with 'n' at offset 0, expected '{'"),
        row("2", "not a JSON object: it starts with '2' at offset 0, expected '{'"),
        row(deep, "not a JSON object: it starts with '[' at offset 0, expected '{'"),
        row(
            "\ufeff{\"schemaVersion\":2,\"config\":$C,\"layers\":[]}",
            "not a JSON object: it starts with U+FEFF at offset 0, expected '{'"),
        row("\u00a0{}", "not a JSON object: it starts with U+00A0 at offset 0, expected '{'"),
        row("\u000b{}", "not a JSON object: it starts with U+000B at offset 0, expected '{'"),
        // Broken JSON: Jackson's words, then where.
        json("{", "(line 1, column 2)"),
        json("{\"schemaVersion\":2,", "(line 1, column 20)"),
        // Data after the object, which Go's decoder never reads.
        trailing("{\"schemaVersion\":2,\"config\":$C,\"layers\":[]} trailing", 1, 185),
        trailing("{\"schemaVersion\":2,\"config\":$C,\"layers\":[]}{}", 1, 184),
        trailing("{\"schemaVersion\":2,\"config\":$C,\"layers\":[]}\n\n]", 3, 1),
        trailing("{\"schemaVersion\":2,\"config\":$C,\"layers\":[]}\0", 1, 184),
        trailing("{\"schemaVersion\":2,\"config\":$C,\"layers\":[]}\n{\"layers\":[$L1]}", 2, 1),
        // The same key twice, of which Go takes the last.
        duplicate(
            "{\"schemaVersion\":2,\"schemaVersion\":2,\"config\":$C,\"layers\":[]}",
            "schemaVersion"),
        duplicate("{\"schemaVersion\":2,\"config\":$C,\"layers\":[],\"config\":$C}", "config"),
        duplicate(head + "{\"digest\":\"$D3\",\"size\":1,\"size\":2}]}", "size"),
        duplicate("{\"schemaVersion\":2,\"config\":$C,\"layers\":[],\"layers\":[$L1]}", "layers"),
        duplicate("{\"schemaVersion\":2,\"x\":{\"a\":1,\"a\":2},\"config\":$C,\"layers\":[]}", "a"),
        json(
            "{\"schemaVersion\":2,\"x\":" + deep + ",\"config\":$C,\"layers\":[]}",
            "(line 1, column"),
        json(
            "{\"schemaVersion\":2,\"x\":"
                + "{\"a\":".repeat(3000)
                + "1"
                + "}".repeat(3000)
                + ",\"config\":$C,\"layers\":[]}",
            "(line 1, column"),
        json("{\"schemaVersion\":2, /* c */ \"config\":$C,\"layers\":[]}", "(line 1, column"),
        json("{'schemaVersion':2,\"config\":$C,\"layers\":[]}", "(line 1, column 2)"),
        json("{schemaVersion:2,\"config\":$C,\"layers\":[]}", "(line 1, column 2)"),
        json("{\"schemaVersion\":NaN,\"config\":$C,\"layers\":[]}", "(line 1, column"),
        json("{\"schemaVersion\":02,\"config\":$C,\"layers\":[]}", "(line 1, column"),
        json(head + "{\"digest\":\"$D3\",\"size\":1" + "0".repeat(1500) + "}]}", "(line 1, column"),
        json("{\"schemaVersion\":2,\"config\":$C,\"layers\":[],}", "(line 1, column"),
        json("{\"schemaVersion\":2,\"x\":\"a\tb\",\"config\":$C,\"layers\":[]}", "(line 1, column"),
        // The document's own fields.
        row(
            "{\"schemaVersion\":1,\"config\":$C,\"layers\":[]}",
            "schemaVersion is number 1, expected 2"),
        row(
            "{\"schemaVersion\":3,\"config\":$C,\"layers\":[]}",
            "schemaVersion is number 3, expected 2"),
        row(
            "{\"schemaVersion\":\"2\",\"config\":$C,\"layers\":[]}",
            "schemaVersion is string \"2\", expected 2"),
        row(
            "{\"schemaVersion\":2.0,\"config\":$C,\"layers\":[]}",
            "schemaVersion is number 2.0, expected 2"),
        row(
            "{\"schemaVersion\":null,\"config\":$C,\"layers\":[]}",
            "schemaVersion is null, expected 2"),
        row("{\"config\":$C,\"layers\":[]}", "schemaVersion is missing, expected 2"),
        row(
            "{\"schemaVersion\":18446744073709551618,\"config\":$C,\"layers\":[]}",
            "schemaVersion is number 18446744073709551618, expected 2"),
        row(
            "{\"schemaVersion\":2,\"mediaType\":5,\"config\":$C,\"layers\":[]}",
            "mediaType is number 5, expected a string"),
        row("{\"schemaVersion\":2,\"layers\":[]}", "config is missing, expected an object"),
        row(
            "{\"schemaVersion\":2,\"config\":null,\"layers\":[]}",
            "config is null, expected an object"),
        row(
            "{\"schemaVersion\":2,\"config\":\"x\",\"layers\":[]}",
            "config is string \"x\", expected an object"),
        row(
            "{\"schemaVersion\":2,\"config\":[$C],\"layers\":[]}",
            "config is array [{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":..., expected an object"),
        row(
            "{\"schemaVersion\":2,\"config\":{},\"layers\":[]}",
            "config.digest is missing, expected sha256:<64 hex>"),
        row(
            "{\"schemaVersion\":2,\"config\":{\"digest\":\"\",\"size\":1},\"layers\":[]}",
            "config.digest is string \"\", expected sha256:<64 hex>"),
        row("{\"schemaVersion\":2,\"config\":$C}", "layers is missing, expected an array"),
        row(
            "{\"schemaVersion\":2,\"config\":$C,\"layers\":null}",
            "layers is null, expected an array"),
        row(
            "{\"schemaVersion\":2,\"config\":$C,\"layers\":{}}",
            "layers is object {}, expected an array"),
        row(
            "{\"schemaVersion\":2,\"config\":$C,\"layers\":\"x\"}",
            "layers is string \"x\", expected an array"),
        // One bad layer among good ones: the message says which and what.
        row(head + "5]}", "layers[2] is number 5, expected an object"),
        row(head + "null]}", "layers[2] is null, expected an object"),
        row(
            head + "[$L1]]}",
            "layers[2] is array [{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":..., expected an object"),
        row(head + "{\"size\":1}]}", "layers[2].digest is missing, expected sha256:<64 hex>"),
        row(
            head + "{\"digest\":\"\",\"size\":1}]}",
            "layers[2].digest is string \"\", expected sha256:<64 hex>"),
        row(
            head + "{\"digest\":null,\"size\":1}]}",
            "layers[2].digest is null, expected sha256:<64 hex>"),
        row(
            head + "{\"digest\":5,\"size\":1}]}",
            "layers[2].digest is number 5, expected sha256:<64 hex>"),
        row(
            head + "{\"digest\":\"sha256:abc\",\"size\":1}]}",
            "layers[2].digest: invalid digest 'sha256:abc': expected sha256:<64 lowercase hex>"),
        row(
            head
                + "{\"digest\":\"sha256:"
                + HEX_3.toUpperCase(java.util.Locale.ROOT).replace('3', 'A')
                + "\",\"size\":1}]}",
            "layers[2].digest: invalid digest 'sha256:"
                + "A".repeat(64)
                + "': expected sha256:<64 lowercase hex>"),
        row(
            head + "{\"digest\":\"sha512:" + HEX_3 + "\",\"size\":1}]}",
            "layers[2].digest: invalid digest 'sha512:"
                + HEX_3
                + "': expected sha256:<64 lowercase hex>"),
        row(
            head + "{\"digest\":\"../../etc/passwd\",\"size\":1}]}",
            "layers[2].digest: invalid digest '../../etc/passwd': expected sha256:<64 lowercase hex>"),
        row(
            head + "{\"digest\":\"$D3\"}]}",
            "layers[2].size is missing, expected a whole number of bytes"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":null}]}",
            "layers[2].size is null, expected a whole number of bytes"),
        row(head + "{\"digest\":\"$D3\",\"size\":-1}]}", "layers[2].size is negative (-1)"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":-9223372036854775808}]}",
            "layers[2].size is negative (-9223372036854775808)"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":1.5}]}",
            "layers[2].size is number 1.5, expected a whole number of bytes"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":1.0}]}",
            "layers[2].size is number 1.0, expected a whole number of bytes"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":1e3}]}",
            "layers[2].size is number 1000.0, expected a whole number of bytes"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":\"10\"}]}",
            "layers[2].size is string \"10\", expected a whole number of bytes"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":true}]}",
            "layers[2].size is boolean true, expected a whole number of bytes"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":9223372036854775808}]}",
            "layers[2].size is number 9223372036854775808, more than 2^63-1 bytes"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":" + "9".repeat(900) + "}]}",
            "layers[2].size is number " + "9".repeat(60) + "..., more than 2^63-1 bytes"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":1,\"mediaType\":5}]}",
            "layers[2].mediaType is number 5, expected a string"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":1,\"from\":{}}]}",
            "layers[2].from is object {}, expected a string"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":1,\"name\":[]}]}",
            "layers[2].name is array [], expected a string"),
        // Sizes that contradict each other or cannot be added up.
        row(
            head + desc(HEX_1, 6) + "]}",
            "layers[2].size is 6 but layers[0] has the same digest 111111111111 with size 5"),
        row(
            head + desc(HEX_C, 4) + "]}",
            "layers[2].size is 4 but config has the same digest cccccccccccc with size 3"),
        row(
            head + "{\"digest\":\"$D3\",\"size\":9223372036854775807}]}",
            "layers[2].size 9223372036854775807 makes the total size exceed 2^63-1 bytes"));
  }

  private static Arguments trailing(String template, int line, int column) {
    return arguments(
        utf8(expand(template)),
        "invalid manifest: more content after the JSON object (line "
            + line
            + ", column "
            + column
            + "); Go's decoder, which Ollama uses, stops at the end of the first value; "
            + ManifestJson.TWO_PARSERS,
        null);
  }

  private static Arguments duplicate(String template, String key) {
    return arguments(
        utf8(expand(template)),
        "invalid manifest: the key '" + key + "' appears twice in one object (line 1, column ",
        "); Go's encoding/json, which Ollama uses, takes the last one; "
            + ManifestJson.TWO_PARSERS);
  }

  private static Arguments row(String template, String why) {
    return arguments(utf8(expand(template)), "invalid manifest: " + why, null);
  }

  private static Arguments json(String template, String location) {
    return arguments(utf8(expand(template)), "invalid manifest: not valid JSON: ", location);
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("hostile")
  void rejectsHostileManifestsSayingWhere(byte[] bytes, String message, String location) {
    var thrown =
        assertThatThrownBy(() -> Manifest.parse(bytes))
            .isInstanceOfSatisfying(
                StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.MANIFEST_INVALID));
    if (location == null) {
      thrown.hasMessage(message);
    } else {
      thrown.hasMessageStartingWith(message).hasMessageContaining(location);
    }
    thrown.satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void jsonErrorsReadWell() {
    assertThatThrownBy(() -> Manifest.parse(utf8("{")))
        .hasMessage(
            "invalid manifest: not valid JSON: Unexpected end-of-input: expected close marker for"
                + " Object (start marker at [line: 1, column: 1]) (line 1, column 2)");
    assertThatThrownBy(
            () ->
                Manifest.parse(
                    utf8(expand("{\"schemaVersion\":2,\"config\":$C,\"layers\":[]}\n{}"))))
        .hasMessage(
            "invalid manifest: more content after the JSON object (line 2, column 1); Go's"
                + " decoder, which Ollama uses, stops at the end of the first value; refused so"
                + " that two JSON parsers cannot read different values from one file");
    assertThatThrownBy(
            () ->
                Manifest.parse(
                    utf8(
                        expand("{\"schemaVersion\":2,\"config\":$C,\"config\":$C,\"layers\":[]}"))))
        .hasMessage(
            "invalid manifest: the key 'config' appears twice in one object (line 1, column 180);"
                + " Go's encoding/json, which Ollama uses, takes the last one; refused so that two"
                + " JSON parsers cannot read different values from one file");
    assertThatThrownBy(
            () ->
                Manifest.parse(
                    utf8(
                        expand(
                            "{\"schemaVersion\":2,\"config\":$C,\"layers\":[$L1],\"Layers\":[$L2]}"))))
        .hasMessage(
            "invalid manifest: the key 'Layers' at the top level is not 'layers' but Go's"
                + " encoding/json, which Ollama uses, reads it as 'layers' (it matches keys ignoring"
                + " case, U+017F as 's' and U+212A as 'k'); refused so that two JSON parsers cannot"
                + " read different values from one file");
  }

  /**
   * Keys Go's encoding/json would read as a known field (case-insensitively, Unicode simple
   * folding) while we would read the exact key or nothing: with both present, Ollama loads the
   * other blobs.
   */
  static Stream<Arguments> keysGoWouldReadAsKnownOnes() {
    String ok = "{\"schemaVersion\":2,\"config\":$C,\"layers\":[$L1]";
    String layer0 =
        "{\"schemaVersion\":2,\"config\":$C,\"layers\":[{\"digest\":\"$D3\",\"size\":1,";
    return Stream.of(
        fold(ok + ",\"Layers\":[$L2]}", "Layers", "at the top level", "layers"),
        fold(
            "{\"schemaVersion\":2,\"config\":$C,\"LAYERS\":[$L2]}",
            "LAYERS",
            "at the top level",
            "layers"),
        fold(ok + ",\"layer\u017f\":[$L2]}", "layer\\u017F", "at the top level", "layers"),
        fold("{\"Config\":$C," + ok.substring(1) + "}", "Config", "at the top level", "config"),
        fold(ok + ",\"mediatype\":\"x\"}", "mediatype", "at the top level", "mediaType"),
        fold(ok + ",\"SchemaVersion\":3}", "SchemaVersion", "at the top level", "schemaVersion"),
        fold(
            ok + ",\"\u017fchemaver\u017fion\":3}",
            "\\u017Fchemaver\\u017Fion",
            "at the top level",
            "schemaVersion"),
        // An escaped key is the key it spells, for Go and for us.
        fold(ok + ",\"\\u004cayers\":[$L2]}", "Layers", "at the top level", "layers"),
        fold(
            "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:"
                + HEX_C
                + "\",\"Digest\":\"sha256:"
                + HEX_1
                + "\",\"size\":3},\"layers\":[]}",
            "Digest",
            "in config",
            "digest"),
        fold(layer0 + "\"Size\":\"10\"}]}", "Size", "in layers[0]", "size"),
        fold(layer0 + "\"\u017fize\":10}]}", "\\u017Fize", "in layers[0]", "size"),
        fold(layer0 + "\"DIGEST\":\"$D3\"}]}", "DIGEST", "in layers[0]", "digest"),
        fold(layer0 + "\"MediaType\":\"x\"}]}", "MediaType", "in layers[0]", "mediaType"),
        fold(layer0 + "\"From\":\"x\"}]}", "From", "in layers[0]", "from"),
        fold(layer0 + "\"nAmE\":\"x\"}]}", "nAmE", "in layers[0]", "name"),
        fold(
            "{\"schemaVersion\":2,\"config\":$C,\"layers\":[$L1,$L2,{\"digest\":\"$D3\",\"size\":1,"
                + "\"Size\":2}]}",
            "Size",
            "in layers[2]",
            "size"));
  }

  private static Arguments fold(String template, String shown, String where, String field) {
    return arguments(
        utf8(expand(template)),
        "invalid manifest: the key '"
            + shown
            + "' "
            + where
            + " is not '"
            + field
            + "' but Go's encoding/json, which Ollama uses, reads it as '"
            + field
            + "' (it matches keys ignoring case, U+017F as 's' and U+212A as 'k'); "
            + ManifestJson.TWO_PARSERS);
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("keysGoWouldReadAsKnownOnes")
  void rejectsKeysGoWouldReadAsKnownOnes(byte[] bytes, String message) {
    assertThatThrownBy(() -> Manifest.parse(bytes))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.MANIFEST_INVALID))
        .hasMessage(message);
  }

  /** Keys that only look like known ones: Go ignores them, and so do we. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("keysGoIgnores")
  void acceptsKeysGoIgnores(String key) throws StoreException {
    String json =
        expand(
            "{\"schemaVersion\":2,\"config\":$C,\"layers\":[{\"digest\":\"$D3\",\"size\":1,\""
                + key
                + "\":\"x\"}],\""
                + key
                + "\":\"x\"}");

    assertThat(Manifest.parse(utf8(json)).layers()).hasSize(1);
  }

  static Stream<String> keysGoIgnores() {
    return Stream.of(
        "Status", // Layer.Status is json:"-"
        "sizes",
        "siz",
        "d\u0130gest", // dotted capital I: no simple fold to 'i' in Go
        "d\u0131gest", // dotless small i: likewise
        "\u212aey", // the Kelvin sign folds to 'k', but no known key has a k
        "size ",
        "lay-ers",
        "filepath"); // Manifest's unexported fields are never decoded
  }

  @Test
  void foldsKeysAsGoDoes() {
    assertThat(ManifestJson.goEqualFold("\u212a", "k")).isTrue();
    assertThat(ManifestJson.goEqualFold("\u212a", "K")).isTrue();
    assertThat(ManifestJson.goEqualFold("\u017f", "S")).isTrue();
    assertThat(ManifestJson.goEqualFold("LaYeRs", "layers")).isTrue();
    assertThat(ManifestJson.goEqualFold("\u0130", "i")).isFalse();
    assertThat(ManifestJson.goEqualFold("\u0131", "I")).isFalse();
    assertThat(ManifestJson.goEqualFold("size", "siz")).isFalse();
    assertThat(ManifestJson.goEqualFold("siz", "size")).isFalse();
    assertThat(ManifestJson.goEqualFold("\ud83d\ude00", "ab")).isFalse();
    assertThat(ManifestJson.goEqualFold("_", "_")).isTrue();
    assertThat(ManifestJson.goEqualFold("@", "`")).isFalse();
  }

  @Test
  void rejectsEncodingsOtherThanUtf8() {
    byte[] utf16 =
        expand("{\"schemaVersion\":2,\"config\":$C,\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_16LE);
    byte[] latin1 =
        concat(
            utf8("{\"schemaVersion\":2,\"x\":\""),
            new byte[] {(byte) 0xe9},
            utf8(expand("\",\"config\":$C,\"layers\":[]}")));
    byte[] overlong = concat(utf8("{\"x\":\""), new byte[] {(byte) 0xc0, (byte) 0xaf}, utf8("\"}"));

    // Jackson alone would detect UTF-16 from the zero bytes and accept this; Ollama would not.
    assertThatThrownBy(() -> Manifest.parse(utf16))
        .hasMessageStartingWith("invalid manifest: not valid JSON: ")
        .hasMessageContaining("(line 1, column 3)");
    assertThatThrownBy(() -> Manifest.parse(latin1))
        .hasMessage("invalid manifest: not UTF-8: invalid byte sequence at offset 24");
    assertThatThrownBy(() -> Manifest.parse(overlong))
        .hasMessage("invalid manifest: not UTF-8: invalid byte sequence at offset 6");
  }

  @Test
  void acceptsUtf8TextInStringsAndLeadingWhitespace() throws StoreException {
    String json =
        expand(
            " \r\n\t{\"schemaVersion\":2,\"x\":\"caf\u00e9 \ud83d\ude00\",\"config\":$C,\"layers\":[$L1]}\n");

    assertThat(Manifest.parse(utf8(json)).layers()).hasSize(1);
  }

  private static String desc(String hex, long size) {
    return "{\"mediaType\":\""
        + MODEL
        + "\",\"digest\":\"sha256:"
        + hex
        + "\",\"size\":"
        + size
        + "}";
  }

  /** {@code json} followed by spaces up to exactly {@code length} bytes. */
  private static byte[] padded(String json, int length) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) ' ');
    byte[] head = utf8(json);
    System.arraycopy(head, 0, bytes, 0, head.length);
    return bytes;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
