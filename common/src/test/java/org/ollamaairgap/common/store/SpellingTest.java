package org.ollamaairgap.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;

/**
 * The spelling a staged name gets on disk, as Ollama's {@code /api/pull} (which lower-cases the
 * default host and namespace) followed by its {@code getExistingName} (each part takes the spelling
 * already on disk) would give it, but deterministic, and refusing where Ollama would pick at
 * random.
 */
class SpellingTest {
  @TempDir Path tmp;

  static ModelName name(String text) {
    try {
      return ModelName.parse(text);
    } catch (StoreException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Spelling onDisk(String... names) {
    return Spelling.of(Arrays.stream(names).map(SpellingTest::name).toList());
  }

  @ParameterizedTest(name = "{0} with [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // nothing on disk: the default host and namespace in lower case, the rest as given
        "Registry.Ollama.AI/Library/Tiny:Q4 |                              | registry.ollama.ai/library/Tiny:Q4",
        "REGISTRY.ollama.ai/User/m          |                              | registry.ollama.ai/User/m:latest",
        "Example.com/Library/m:T            |                              | Example.com/Library/m:T",
        // a part already on disk takes its spelling, each part on its own, across models
        "Tiny:LATEST                        | tiny:latest                  | registry.ollama.ai/library/tiny:latest",
        "llama3.2:Q4_K_M                    | other:q4_K_M                 | registry.ollama.ai/library/llama3.2:q4_K_M",
        "example.com/ns/m                   | Example.COM/NS/x:y           | Example.COM/NS/m:latest",
        "acme/Phi                           | Acme/phi:mini                | registry.ollama.ai/Acme/phi:latest",
        // a default namespace spelled otherwise on disk is reused: it is what Ollama would find
        "tiny                               | Library/other:latest         | registry.ollama.ai/Library/tiny:latest",
      })
  void stagedNameTakesTheSpellingOnDisk(String requested, String existing, String expected)
      throws StoreException {
    Spelling spelling = existing == null ? Spelling.of(List.of()) : onDisk(existing.split(","));
    assertThat(spelling.onDisk(name(requested)).toString()).isEqualTo(expected);
  }

  @Test
  void aPartSpelledTwiceOnDiskIsRefused() {
    Spelling spelling = onDisk("tiny", "Library/other");
    assertThatThrownBy(() -> spelling.onDisk(name("llama3.2")))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "the store already spells the namespace of llama3.2:latest in 2 ways ('Library',"
                + " 'library'); Ollama matches names case-insensitively and picks one of them at"
                + " random, so lookups would fail. Nothing was staged for this model; on the"
                + " writable side rename the manifest directories to one spelling (run the verifier"
                + " on the store to see which), then run again");
  }

  @Test
  void laterModelsOfARunReuseTheSpellingOfEarlierOnes() throws StoreException {
    Spelling spelling = Spelling.of(List.of());
    ModelName first = spelling.onDisk(name("hf.co/Org/x:Q4_K_M"));
    spelling.add(first);
    assertThat(spelling.onDisk(name("hf.co/org/y:q4_k_m")).toString())
        .isEqualTo("hf.co/Org/y:Q4_K_M");
  }

  @Test
  void readsTheStoreAsOllamasGlobDoes() throws Exception {
    StoreLayout layout = new StoreLayout(tmp);
    Path tag = layout.manifest(name("Tiny:latest"));
    Files.createDirectories(tag.getParent());
    Files.writeString(tag, "{}");
    // Neither a directory at the tag level nor an invalid name spells anything for Ollama.
    Files.createDirectories(layout.manifestsDir().resolve("registry.ollama.ai/library/TINY/dir"));
    Files.writeString(tag.resolveSibling(".DS_Store"), "");
    Files.createDirectories(layout.manifestsDir().resolve("registry.ollama.ai/LIBRARY"));

    assertThat(Spelling.of(layout).onDisk(name("tiny:LATEST")).toString())
        .isEqualTo("registry.ollama.ai/library/Tiny:latest");
  }

  @ParameterizedTest
  @CsvSource({"K,k", "k,K", "\u212a,k", "\u017f,S", "s,\u017f"})
  void foldsAsGoEqualFold(String a, String b) {
    assertThat(Spelling.sameFold(a, b)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"\u0131,i", "\u0130,i", "\u0130,I", "a,b"})
  void doesNotFoldWhatGoKeepsApart(String a, String b) {
    assertThat(Spelling.sameFold(a, b)).isFalse();
  }
}
