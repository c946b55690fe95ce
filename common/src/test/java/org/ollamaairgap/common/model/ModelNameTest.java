package org.ollamaairgap.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.common.store.StoreLayout;

/** The name grammar of Ollama's {@code types/model/name.go}, case by case. */
class ModelNameTest {
  private static final String HINT = " (expected [host/][namespace/]model[:tag], e.g. llama3.2:3b)";
  private static final String HOST_CHARS =
      "; allowed are ASCII letters, digits and '_', and after the first character also '-', '.',"
          + " ':'";
  private static final String NS_CHARS =
      "; allowed are ASCII letters, digits and '_', and after the first character also '-'";
  private static final String MODEL_CHARS =
      "; allowed are ASCII letters, digits and '_', and after the first character also '-', '.'";
  private static final String TAG_CHARS = MODEL_CHARS;

  static Stream<Arguments> validNames() {
    return Stream.of(
        // Shorthands take the defaults.
        arguments("llama3.2", "registry.ollama.ai", "library", "llama3.2", "latest"),
        arguments("llama3.2:3b", "registry.ollama.ai", "library", "llama3.2", "3b"),
        arguments("user/m", "registry.ollama.ai", "user", "m", "latest"),
        arguments("user/m:t", "registry.ollama.ai", "user", "m", "t"),
        arguments("m:tag", "registry.ollama.ai", "library", "m", "tag"),
        // Full names.
        arguments(
            "registry.ollama.ai/library/llama3.2:latest",
            "registry.ollama.ai",
            "library",
            "llama3.2",
            "latest"),
        arguments("example.com/ns/m:t", "example.com", "ns", "m", "t"),
        arguments("example.com/ns/m", "example.com", "ns", "m", "latest"),
        arguments(
            "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M",
            "hf.co",
            "bartowski",
            "Llama-3.2-3B-Instruct-GGUF",
            "Q4_K_M"),
        // A host may carry a port: the tag is only what follows the last ':' after the last '/'.
        arguments("localhost:5000/ns/m", "localhost:5000", "ns", "m", "latest"),
        arguments("localhost:5000/ns/m:t", "localhost:5000", "ns", "m", "t"),
        arguments("10.0.0.1:443/ns/m:1.0", "10.0.0.1:443", "ns", "m", "1.0"),
        arguments("h:65535/ns/m", "h:65535", "ns", "m", "latest"),
        arguments("h:1/ns/m", "h:1", "ns", "m", "latest"),
        arguments("h:0080/ns/m", "h:0080", "ns", "m", "latest"),
        // A scheme is dropped, whatever it is, as /api/pull drops it (it pulls DisplayShortest()).
        arguments("https://host/ns/m:t", "host", "ns", "m", "t"),
        arguments("http://host/ns/m", "host", "ns", "m", "latest"),
        arguments("HTTPS://host/ns/m", "host", "ns", "m", "latest"),
        arguments("https://localhost:5000/ns/m:t", "localhost:5000", "ns", "m", "t"),
        arguments("ftp://host/ns/m", "host", "ns", "m", "latest"),
        arguments("://host/ns/m", "host", "ns", "m", "latest"),
        // Whitespace around the name is trimmed as Go's strings.TrimSpace trims it.
        arguments(" llama", "registry.ollama.ai", "library", "llama", "latest"),
        arguments("llama ", "registry.ollama.ai", "library", "llama", "latest"),
        arguments("\tm:t\r\n", "registry.ollama.ai", "library", "m", "t"),
        arguments(
            "\u00a0\u2007m\u202f\u3000\u0085", "registry.ollama.ai", "library", "m", "latest"),
        // :local is dropped (in any case); the tag before it stays, or the default comes back.
        arguments("llama3.2:1b:local", "registry.ollama.ai", "library", "llama3.2", "1b"),
        arguments("llama3.2:local", "registry.ollama.ai", "library", "llama3.2", "latest"),
        arguments("llama3.2:LOCAL", "registry.ollama.ai", "library", "llama3.2", "latest"),
        arguments("llama3.2: local", "registry.ollama.ai", "library", "llama3.2", "latest"),
        arguments("h:5000/ns/m:local", "h:5000", "ns", "m", "latest"),
        arguments("h:5000/ns/m:t:local", "h:5000", "ns", "m", "t"),
        // Not a suffix: "cloud" inside a model name, "-cloud" before a '/', "locals".
        arguments("my-cloud-model", "registry.ollama.ai", "library", "my-cloud-model", "latest"),
        arguments("m:locals", "registry.ollama.ai", "library", "m", "locals"),
        arguments("m:cloudy", "registry.ollama.ai", "library", "m", "cloudy"),
        arguments("local/m", "registry.ollama.ai", "local", "m", "latest"),
        arguments("cloud:5000/ns/m", "cloud:5000", "ns", "m", "latest"),
        // Case is kept.
        arguments("Llama3.2:3B", "registry.ollama.ai", "library", "Llama3.2", "3B"),
        arguments("EXAMPLE.com/NS/M:T", "EXAMPLE.com", "NS", "M", "T"),
        // '_' may come first; '-' and '.' only later; dots may repeat inside a part.
        arguments("_/_/_:_", "_", "_", "_", "_"),
        arguments("1/2/3:4", "1", "2", "3", "4"),
        arguments("h-/n-/m-:t-", "h-", "n-", "m-", "t-"),
        arguments("h./n/m.:t.", "h.", "n", "m.", "t."),
        arguments("m..x:t..y", "registry.ollama.ai", "library", "m..x", "t..y"),
        arguments("a.b.c/ns/m", "a.b.c", "ns", "m", "latest"),
        arguments("m:t.t-_", "registry.ollama.ai", "library", "m", "t.t-_"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validNames")
  void parsesValidNames(String text, String host, String namespace, String model, String tag)
      throws StoreException {
    assertThat(ModelName.parse(text)).isEqualTo(new ModelName(host, namespace, model, tag));
  }

  static Stream<Arguments> invalidNames() {
    String h351 = "h".repeat(351);
    String n81 = "n".repeat(81);
    String m81 = "m".repeat(81);
    String t81 = "t".repeat(81);
    return Stream.of(
        // Empty parts and separators with nothing around them.
        bad("", "the name is empty or only whitespace"),
        bad("   ", "the name is empty or only whitespace"),
        bad("\t\n", "\\u0009\\u000A", "the name is empty or only whitespace"),
        bad("/m", "the namespace is empty"),
        bad("ns/", "the model is empty"),
        bad("m:", "the tag after ':' is empty"),
        bad(":t", "the model is empty"),
        bad(":", "the tag after ':' is empty"),
        bad("/", "the namespace is empty"),
        bad("a//b", "the namespace is empty"),
        bad("/ns/m", "the host is empty"),
        bad("h//m", "the namespace is empty"),
        bad("h/ns/", "the model is empty"),
        bad("h/ns/:t", "the model is empty"),
        bad("https://m", "the namespace is empty"),
        // Ollama's repository is always namespace/model.
        bad("a/b/c/d", TOO_MANY),
        bad("a/b/c/d/e:t", TOO_MANY),
        bad("https://a/b/c/d", TOO_MANY),
        bad("/a/b/c", TOO_MANY),
        bad("//a/b", TOO_MANY),
        // Whitespace Go's TrimSpace keeps (Java's strip() would drop U+001C..U+001F).
        bad(
            "m\u001f",
            "m\\u001F",
            "the model 'm\\u001F' has the control character U+001F at position 2" + MODEL_CHARS),
        bad(
            "m\u200b",
            "m\\u200B",
            "the model 'm\\u200B' has the non-ASCII character U+200B at position 2" + MODEL_CHARS),
        bad(
            "m\u00a0x",
            "m\\u00A0x",
            "the model 'm\\u00A0x' has the non-ASCII character U+00A0 at"
                + " position 2"
                + MODEL_CHARS),
        // Cloud models: a stub that forwards to ollama.com is useless inside an air gap.
        bad("gpt-oss:20b:cloud", cloud(":cloud", "gpt-oss:20b")),
        bad("gpt-oss:20b:CLOUD", cloud(":cloud", "gpt-oss:20b")),
        bad("gpt-oss:20b-cloud", cloud("-cloud", "gpt-oss:20b")),
        bad("gpt-oss:20B-Cloud", cloud("-cloud", "gpt-oss:20B")),
        bad("qwen3:cloud", cloud(":cloud", "qwen3")),
        bad("localhost:11434/library/foo:cloud", cloud(":cloud", "localhost:11434/library/foo")),
        bad("h:5000/ns/m:t-cloud", cloud("-cloud", "h:5000/ns/m:t")),
        bad("m:cloud:local", cloud(":cloud", "m")),
        bad("m:1b-cloud:local", cloud("-cloud", "m:1b")),
        bad("m:local:cloud", cloud(":cloud", "m")),
        bad("m:local:local", "it ends in ':local' twice; Ollama accepts one source suffix at most"),
        // A port that is not 1..65535: Ollama's grammar takes it, its first request fails.
        bad(
            "127.0.0.1:99999/ns/m",
            port("99999", "127.0.0.1:99999", " is out of range; a port is 1 to 65535")),
        bad("h:0/ns/m", port("0", "h:0", " is out of range; a port is 1 to 65535")),
        bad("h:65536/ns/m:t", port("65536", "h:65536", " is out of range; a port is 1 to 65535")),
        bad(
            "h:" + "9".repeat(40) + "/ns/m",
            port("9".repeat(40), "h:" + "9".repeat(40), " is out of range; a port is 1 to 65535")),
        bad("host:https/ns/m:t", "the port 'https' in the host 'host:https' is not a number"),
        bad("h:1:2/ns/m", "it has more than one ':' in the host 'h:1:2'; write host:port"),
        bad(
            "host:/ns/m",
            "the port after ':' in the host 'host:' is empty; write host:port, e.g. localhost:5000"),
        // Dot segments and absolute or Windows paths never reach the file system.
        bad(".", "the model '.' has '.' at position 1" + MODEL_CHARS),
        bad("..", "the model '..' has '.' at position 1" + MODEL_CHARS),
        bad("../m", "the namespace '..' has '.' at position 1" + NS_CHARS),
        bad("ns/..", "the model '..' has '.' at position 1" + MODEL_CHARS),
        bad("h/../m", "the namespace '..' has '.' at position 1" + NS_CHARS),
        bad("../ns/m", "the host '..' has '.' at position 1" + HOST_CHARS),
        bad("./ns/m", "the host '.' has '.' at position 1" + HOST_CHARS),
        bad("m:..", "the tag '..' has '.' at position 1" + TAG_CHARS),
        bad("m:.", "the tag '.' has '.' at position 1" + TAG_CHARS),
        bad("/etc/passwd", "the host is empty"),
        bad("ns\\m", "ns\\\\m", "the model 'ns\\\\m' has '\\' at position 3" + MODEL_CHARS),
        bad(
            "C:\\models\\m",
            "C:\\\\models\\\\m",
            "the tag '\\\\models\\\\m' has '\\' at position 1" + TAG_CHARS),
        bad(
            "..\\..\\m",
            "..\\\\..\\\\m",
            "the model '..\\\\..\\\\m' has '.' at position 1" + MODEL_CHARS),
        // NUL, control characters and whitespace, reported by code point and never echoed raw.
        bad(
            "m\0",
            "m\\u0000",
            "the model 'm\\u0000' has the control character U+0000 at position 2" + MODEL_CHARS),
        bad(
            "m\u007f",
            "m\\u007F",
            "the model 'm\\u007F' has the control character U+007F at position 2" + MODEL_CHARS),
        bad(
            "m\nERROR forged log line",
            "m\\u000AERROR forged log line",
            "the model 'm\\u000AERROR forged log line' has the control character U+000A at position 2"
                + MODEL_CHARS),
        bad("ll ama:t", "the model 'll ama' has a space at position 3" + MODEL_CHARS),
        bad("m: t", "the tag ' t' has a space at position 1" + TAG_CHARS),
        bad("my host/ns/m", "the host 'my host' has a space at position 3" + HOST_CHARS),
        // Unicode look-alikes are not ASCII letters.
        bad(
            "ll\u0430ma",
            "ll\\u0430ma",
            "the model 'll\\u0430ma' has the non-ASCII character U+0430 at position 3"
                + MODEL_CHARS),
        bad(
            "\uff4d",
            "\\uFF4D",
            "the model '\\uFF4D' has the non-ASCII character U+FF4D at position 1" + MODEL_CHARS),
        bad(
            "m\u200b",
            "m\\u200B",
            "the model 'm\\u200B' has the non-ASCII character U+200B at position 2" + MODEL_CHARS),
        bad(
            "m\u202etxt",
            "m\\u202Etxt",
            "the model 'm\\u202Etxt' has the non-ASCII character U+202E at position 2"
                + MODEL_CHARS),
        bad(
            "m\ud83d\ude00",
            "m\\uD83D\\uDE00",
            "the model 'm\\uD83D\\uDE00' has the non-ASCII character U+1F600 at position 2"
                + MODEL_CHARS),
        bad(
            "\u0440egistry.ollama.ai/library/m",
            "\\u0440egistry.ollama.ai/library/m",
            "the host '\\u0440egistry.ollama.ai' has the non-ASCII character U+0440 at position 1"
                + HOST_CHARS),
        // First-character rules.
        bad("-m", "the model '-m' has '-' at position 1" + MODEL_CHARS),
        bad(".m", "the model '.m' has '.' at position 1" + MODEL_CHARS),
        bad("m:-t", "the tag '-t' has '-' at position 1" + TAG_CHARS),
        bad("m:.t", "the tag '.t' has '.' at position 1" + TAG_CHARS),
        bad("-h/ns/m", "the host '-h' has '-' at position 1" + HOST_CHARS),
        bad(".h/ns/m", "the host '.h' has '.' at position 1" + HOST_CHARS),
        bad(":5000/ns/m", "the host ':5000' has ':' at position 1" + HOST_CHARS),
        bad("h/-ns/m", "the namespace '-ns' has '-' at position 1" + NS_CHARS),
        // Characters a part may never contain.
        bad("h/n.s/m", "the namespace 'n.s' has '.' at position 2" + NS_CHARS),
        bad("h/n:s/m", "the namespace 'n:s' has ':' at position 2" + NS_CHARS),
        bad("localhost:5000/m", "the namespace 'localhost:5000' has ':' at position 10" + NS_CHARS),
        bad("m:t:t", "the model 'm:t' has ':' at position 2" + MODEL_CHARS),
        bad("m@sha256:abc", "the model 'm@sha256' has '@' at position 2" + MODEL_CHARS),
        bad("m+Q4_0", "the model 'm+Q4_0' has '+' at position 2" + MODEL_CHARS),
        bad("m:t+Q4_0", "the tag 't+Q4_0' has '+' at position 2" + TAG_CHARS),
        bad("h_o%st/ns/m", "the host 'h_o%st' has '%' at position 4" + HOST_CHARS),
        bad("ns/m:t/x", "the namespace 'm:t' has ':' at position 2" + NS_CHARS),
        bad("h/ns/m:t/x", TOO_MANY),
        bad("*", "the model '*' has '*' at position 1" + MODEL_CHARS),
        bad("m?", "the model 'm?' has '?' at position 2" + MODEL_CHARS),
        bad("~/m", "the namespace '~' has '~' at position 1" + NS_CHARS),
        // Length limits, counted per part; the echoed input is clipped at 100 characters.
        bad(
            h351 + "/n/m:t",
            "h".repeat(100) + "...(357 chars)",
            "the host is 351 characters long, at most 350 are allowed"),
        bad(
            "h/" + n81 + "/m:t",
            "h/" + "n".repeat(81) + "/m:t",
            "the namespace is 81 characters long, at most 80 are allowed"),
        bad(m81, "the model is 81 characters long, at most 80 are allowed"),
        bad(
            "m:" + t81,
            "m:" + "t".repeat(81),
            "the tag is 81 characters long, at most 80 are allowed"),
        bad(
            "x".repeat(10_000),
            "x".repeat(100) + "...(10000 chars)",
            "the model is 10000 characters long, at most 80 are allowed"));
  }

  private static String cloud(String suffix, String local) {
    return "'"
        + suffix
        + "' names an Ollama cloud model, a stub that sends every request to ollama.com and cannot"
        + " serve inside an air gap; name the local model instead (e.g. '"
        + local
        + "')";
  }

  private static String port(String port, String host, String why) {
    return "the port " + port + " in the host '" + host + "'" + why;
  }

  private static final String TOO_MANY =
      "it has more than three '/'-separated parts; the registry path is always namespace/model";

  private static Arguments bad(String text, String why) {
    return arguments(text, text, why);
  }

  private static Arguments bad(String text, String shown, String why) {
    return arguments(text, shown, why);
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invalidNames")
  void rejectsInvalidNamesSayingWhy(String text, String shown, String why) {
    assertThatThrownBy(() -> ModelName.parse(text))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID_NAME))
        .hasMessage("invalid model name '" + shown + "': " + why + HINT);
  }

  /**
   * Ollama's {@code /api/pull} (ParseRef, NormalizePullName, ParseName, IsValid; read from its
   * source at fb30760) beside ours. Column two is the name Ollama pulls, or how it refuses; column
   * three is {@code SAME} when we pull that very name, or the start of our refusal. Every row where
   * we refuse what Ollama takes is a choice made on purpose: a cloud stub cannot serve inside an
   * air gap, and a bad port would only fail later, at the first request.
   */
  @ParameterizedTest(name = "{0} | {1} | {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "llama3.2                      | registry.ollama.ai/library/llama3.2:latest | SAME",
        "\"  llama3.2:1b \"            | registry.ollama.ai/library/llama3.2:1b     | SAME",
        "llama3.2:1b:local             | registry.ollama.ai/library/llama3.2:1b     | SAME",
        "llama3.2:local                | registry.ollama.ai/library/llama3.2:latest | SAME",
        "qwen3:8b:LOCAL                | registry.ollama.ai/library/qwen3:8b        | SAME",
        "https://h:5000/ns/m:t         | h:5000/ns/m:t                              | SAME",
        "http://h/ns/m                 | h/ns/m:latest                              | SAME",
        "scheme://host:1/namespace/m:t | host:1/namespace/m:t                       | SAME",
        "user/m                        | registry.ollama.ai/user/m:latest           | SAME",
        "Library/Llama3.2:1B           | registry.ollama.ai/Library/Llama3.2:1B     | SAME",
        "my-cloud-model                | registry.ollama.ai/library/my-cloud-model:latest | SAME",
        "foo:bar-cloud/baz             | invalid model name                         | invalid"
            + " model name 'foo:bar-cloud/baz': the namespace 'foo:bar-cloud' has ':'",
        "gpt-oss:20b:cloud             | registry.ollama.ai/library/gpt-oss:20b-cloud (cloud stub)"
            + " | invalid model name 'gpt-oss:20b:cloud': ':cloud' names an Ollama cloud model",
        "gpt-oss:20b-cloud             | registry.ollama.ai/library/gpt-oss:20b-cloud (cloud stub)"
            + " | invalid model name 'gpt-oss:20b-cloud': '-cloud' names an Ollama cloud model",
        "qwen3:cloud                   | registry.ollama.ai/library/qwen3:cloud (cloud stub)"
            + " | invalid model name 'qwen3:cloud': ':cloud' names an Ollama cloud model",
        "foo:cloud:local               | use either :local or :cloud, not both"
            + " | invalid model name 'foo:cloud:local': ':cloud' names an Ollama cloud model",
        "foo:local:local               | use either :local or :cloud, not both"
            + " | invalid model name 'foo:local:local': it ends in ':local' twice",
        "127.0.0.1:99999/ns/m          | 127.0.0.1:99999/ns/m:latest (then: invalid port)"
            + " | invalid model name '127.0.0.1:99999/ns/m': the port 99999 in the host",
        "host:https/ns/m:t             | host:https/ns/m:t (then: invalid port)"
            + " | invalid model name 'host:https/ns/m:t': the port 'https' in the host",
        "\"   \"                       | model is required"
            + " | invalid model name '   ': the name is empty or only whitespace",
        "m:                            | invalid model name"
            + " | invalid model name 'm:': the tag after ':' is empty",
        "a/b/c/d                       | invalid model name"
            + " | invalid model name 'a/b/c/d': it has more than three '/'-separated parts",
        "host/name:space/model:tag     | invalid model name"
            + " | invalid model name 'host/name:space/model:tag': the namespace 'name:space' has ':'",
        "hh/nn/mm:-tt                  | invalid model name"
            + " | invalid model name 'hh/nn/mm:-tt': the tag '-tt' has '-' at position 1",
      })
  void readsNamesAsOllamasPullDoes(String text, String ollama, String ours) throws StoreException {
    if (ours.equals("SAME")) {
      assertThat(ModelName.parse(text)).hasToString(ollama);
    } else {
      assertThatThrownBy(() -> ModelName.parse(text))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith(ours);
    }
  }

  @Test
  void nullIsRejectedLikeEmpty() {
    assertThatThrownBy(() -> ModelName.parse(null))
        .isInstanceOf(StoreException.class)
        .hasMessage("invalid model name '': the name is empty or only whitespace" + HINT);
  }

  @Test
  void fullMessagesReadWell() {
    assertThatThrownBy(() -> ModelName.parse("llama3.2:"))
        .hasMessage(
            "invalid model name 'llama3.2:': the tag after ':' is empty (expected"
                + " [host/][namespace/]model[:tag], e.g. llama3.2:3b)");
    assertThatThrownBy(() -> ModelName.parse("my.org/team.a/m"))
        .hasMessage(
            "invalid model name 'my.org/team.a/m': the namespace 'team.a' has '.' at position 5;"
                + " allowed are ASCII letters, digits and '_', and after the first character also"
                + " '-' (expected [host/][namespace/]model[:tag], e.g. llama3.2:3b)");
    assertThatThrownBy(() -> ModelName.parse("artifactory/api/ollama/library/llama3"))
        .hasMessage(
            "invalid model name 'artifactory/api/ollama/library/llama3': it has more than three"
                + " '/'-separated parts; the registry path is always namespace/model (expected"
                + " [host/][namespace/]model[:tag], e.g. llama3.2:3b)");
  }

  /** One row per part: the maximum length parses, one more does not (the rows above). */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "host,      350",
    "namespace, 80",
    "model,     80",
    "tag,       80",
  })
  void acceptsEachPartAtExactlyItsMaximumLength(String part, int max) throws StoreException {
    String[] parts = {"h", "n", "m", "t"};
    int index = List.of("host", "namespace", "model", "tag").indexOf(part);
    parts[index] = "x".repeat(max);
    String text = parts[0] + "/" + parts[1] + "/" + parts[2] + ":" + parts[3];

    ModelName name = ModelName.parse(text);

    assertThat(List.of(name.host(), name.namespace(), name.model(), name.tag()).get(index))
        .hasSize(max);
    parts[index] = "x".repeat(max + 1);
    assertThatThrownBy(
            () -> ModelName.parse(parts[0] + "/" + parts[1] + "/" + parts[2] + ":" + parts[3]))
        .hasMessageContaining(
            "the " + part + " is " + (max + 1) + " characters long, at most " + max);
  }

  /**
   * Every ASCII character and a few others, first and later in every part, against the grammar
   * written out independently here: the first character is a letter, digit or '_'; later ones may
   * also be the part's extras.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"0, '-.:'", "1, '-'", "2, '-.'", "3, '-.'"})
  void checksEveryCharacterOfEveryPartAgainstTheGrammar(int index, String extras) {
    List<Character> candidates = new ArrayList<>();
    for (char c = 0; c < 0x80; c++) {
      candidates.add(c);
    }
    candidates.addAll(List.of('\u00e9', '\u0430', '\u00a0', '\u2028', '\uff0f', '\u2215'));
    List<String> wrong = new ArrayList<>();
    for (char c : candidates) {
      boolean word = (Character.isLetterOrDigit(c) && c < 0x80) || c == '_';
      boolean laterOk = word || extras.indexOf(c) >= 0;
      String[] first = {"h", "n", "m", "t"};
      String[] later = {"h", "n", "m", "t"};
      first[index] = c + "x";
      later[index] = "x" + c;
      if (valid(first) != word) {
        wrong.add(String.format(Locale.ROOT, "U+%04X first: valid should be %s", (int) c, word));
      }
      if (valid(later) != laterOk) {
        wrong.add(String.format(Locale.ROOT, "U+%04X later: valid should be %s", (int) c, laterOk));
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static boolean valid(String[] parts) {
    try {
      new ModelName(parts[0], parts[1], parts[2], parts[3]);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Test
  void constructorRejectsInvalidPartsToo() {
    assertThatThrownBy(() -> new ModelName("h", "..", "m", "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the namespace '..' has '.' at position 1" + NS_CHARS);
    assertThatThrownBy(() -> new ModelName("h", "n", "m", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the tag is empty");
    assertThatThrownBy(() -> new ModelName("a/b", "n", "m", "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the host 'a/b' has '/' at position 2" + HOST_CHARS);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "llama3.2,                          llama3.2:latest",
    "llama3.2:3b,                       llama3.2:3b",
    "user/m,                            user/m:latest",
    "registry.ollama.ai/user/m:t,       user/m:t",
    "REGISTRY.Ollama.AI/Library/m:t,    m:t",
    "registry.ollama.ai/LIBRARY/M:T,    M:T",
    "example.com/library/m:t,           example.com/library/m:t",
    "localhost:5000/ns/m,               localhost:5000/ns/m:latest",
    "https://registry.ollama.ai/library/m,  m:latest",
  })
  void displayShortestDropsOnlyDefaultHostAndNamespace(String text, String expected)
      throws StoreException {
    assertThat(ModelName.parse(text).displayShortest()).isEqualTo(expected);
  }

  @Test
  void toStringRepositoryAndKey() throws StoreException {
    ModelName name = ModelName.parse("Example.com:8080/Team/Llama3.2:Q4_K_M");

    assertAll(
        () -> assertThat(name).hasToString("Example.com:8080/Team/Llama3.2:Q4_K_M"),
        () -> assertThat(name.repository()).isEqualTo("Team/Llama3.2"),
        () -> assertThat(name.key()).isEqualTo("example.com:8080/team/llama3.2:q4_k_m"),
        () ->
            assertThat(ModelName.parse("m").toString())
                .isEqualTo("registry.ollama.ai/library/m:latest"),
        () -> assertThat(ModelName.parse("m").repository()).isEqualTo("library/m"));
  }

  @Test
  void sameAsIgnoresCaseButEqualsDoesNot() throws StoreException {
    ModelName lower = ModelName.parse("llama3.2:3b");
    ModelName upper = ModelName.parse("REGISTRY.OLLAMA.AI/Library/LLAMA3.2:3B");
    ModelName other = ModelName.parse("llama3.2:1b");

    assertAll(
        () -> assertThat(lower.sameAs(upper)).isTrue(),
        () -> assertThat(upper.sameAs(lower)).isTrue(),
        () -> assertThat(lower.key()).isEqualTo(upper.key()),
        () -> assertThat(lower).isNotEqualTo(upper),
        () -> assertThat(lower.sameAs(other)).isFalse(),
        () -> assertThat(lower.key()).isNotEqualTo(other.key()),
        // The key must not merge different names that only share a concatenation.
        () ->
            assertThat(ModelName.parse("a/bc/d").key())
                .isNotEqualTo(ModelName.parse("ab/c/d").key()));
  }

  static Stream<Arguments> manifestPaths() {
    return Stream.of(
        arguments(
            Path.of("registry.ollama.ai", "library", "llama3.2", "latest"),
            "registry.ollama.ai/library/llama3.2:latest"),
        arguments(Path.of("localhost:5000", "ns", "m", "t"), "localhost:5000/ns/m:t"),
        arguments(Path.of("Host", "NS", "Model", "Tag"), "Host/NS/Model:Tag"),
        arguments(Path.of("h", "n", "m..x", "t."), "h/n/m..x:t."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifestPaths")
  void readsNamesFromManifestPaths(Path relative, String expected) throws StoreException {
    assertThat(ModelName.fromManifestPath(relative)).hasToString(expected);
  }

  static Stream<Arguments> badManifestPaths() {
    String hint =
        " (expected manifests/<host>/<namespace>/<model>/<tag>, e.g."
            + " manifests/registry.ollama.ai/library/llama3.2/3b)";
    return Stream.of(
        arguments(
            Path.of("h", "n", "m"),
            "invalid manifest path 'h/n/m': expected 4 path elements, found 3" + hint),
        arguments(
            Path.of("h", "n", "m", "t", "x"),
            "invalid manifest path 'h/n/m/t/x': expected 4 path elements, found 5" + hint),
        arguments(
            Path.of(""), "invalid manifest path '': expected 4 path elements, found 1" + hint),
        arguments(
            Path.of("/h/n/m/t"),
            "invalid manifest path '/h/n/m/t': it is absolute, expected a path relative to"
                + " manifests/"
                + hint),
        arguments(
            Path.of("h", "..", "m", "t"),
            "invalid manifest path 'h/../m/t': the namespace '..' has '.' at position 1"
                + NS_CHARS
                + hint),
        arguments(
            Path.of("h", "n", ".", "t"),
            "invalid manifest path 'h/n/./t': the model '.' has '.' at position 1"
                + MODEL_CHARS
                + hint),
        arguments(
            Path.of("h", "n", "m", ".t.swp"),
            "invalid manifest path 'h/n/m/.t.swp': the tag '.t.swp' has '.' at position 1"
                + TAG_CHARS
                + hint),
        arguments(
            Path.of("h", "n", "m", "t\\x"),
            "invalid manifest path 'h/n/m/t\\\\x': the tag 't\\\\x' has '\\' at position 2"
                + TAG_CHARS
                + hint),
        arguments(
            Path.of("h", "n", "m", "t~"),
            "invalid manifest path 'h/n/m/t~': the tag 't~' has '~' at position 2"
                + TAG_CHARS
                + hint),
        arguments(
            Path.of("h", "n", "m", "t\n"),
            "invalid manifest path 'h/n/m/t\\u000A': the tag 't\\u000A' has the control character"
                + " U+000A at position 2"
                + TAG_CHARS
                + hint),
        arguments(
            Path.of("h", "n", "m".repeat(81), "t"),
            "invalid manifest path 'h/n/"
                + "m".repeat(81)
                + "/t': the model is 81 characters long, at most 80 are allowed"
                + hint));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("badManifestPaths")
  void rejectsBadManifestPaths(Path relative, String message) {
    assertThatThrownBy(() -> ModelName.fromManifestPath(relative))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID_NAME))
        .hasMessage(message);
  }

  /**
   * Whatever the input, a name that parses stays inside the store, reads back from its own manifest
   * path and round-trips through {@code toString}; everything else fails with INVALID_NAME.
   */
  @Test
  void randomInputEitherFailsOrStaysInsideTheStore(@TempDir Path tmp) throws StoreException {
    StoreLayout layout = new StoreLayout(tmp.resolve("models"));
    String[] alphabet = {
      "a",
      "b",
      "Z",
      "0",
      "9",
      "_",
      "-",
      ".",
      ".",
      ":",
      ":",
      "/",
      "/",
      "/",
      "\\",
      " ",
      "\t",
      "\0",
      "@",
      "+",
      "%",
      "~",
      "*",
      "..",
      "://",
      "https://",
      "\u0430",
      "\uff0f",
      "\ud83d\ude00",
      "\u202e"
    };
    Random random = new Random(20261129L);
    int parsed = 0;
    int rejected = 0;
    for (int i = 0; i < 5000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(12);
      for (int j = 0; j < length; j++) {
        // Mostly letters, so that a good share of the inputs is valid.
        text.append(random.nextInt(3) == 0 ? alphabet[random.nextInt(alphabet.length)] : "m");
      }
      ModelName name;
      try {
        name = ModelName.parse(text.toString());
      } catch (StoreException e) {
        assertThat(e.reason()).as("%s", text).isEqualTo(StoreException.Reason.INVALID_NAME);
        assertThat(e.getMessage()).as("%s", text).startsWith("invalid model name '");
        rejected++;
        continue;
      }
      parsed++;
      Path manifest = layout.manifest(name);
      Path relative = layout.manifestsDir().relativize(manifest);
      assertThat(manifest.normalize()).as("%s", text).isEqualTo(manifest);
      assertThat(manifest).as("%s", text).startsWithRaw(layout.manifestsDir());
      assertThat(relative.getNameCount()).as("%s", text).isEqualTo(4);
      assertThat(ModelName.fromManifestPath(relative)).as("%s", text).isEqualTo(name);
      assertThat(ModelName.parse(name.toString())).as("%s", text).isEqualTo(name);
      assertThat(name.toString()).as("%s", text).matches("[\\x21-\\x7e]+");
    }
    assertThat(parsed).as("valid inputs generated").isGreaterThan(500);
    assertThat(rejected).as("invalid inputs generated").isGreaterThan(500);
  }
}
