package org.ollamaairgap.common.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.sign.SignatureCheckException.Reason;

class StatementTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Digest A = Sha256.of(new byte[] {1});
  static final Digest B = Sha256.of(new byte[] {2});

  @Test
  void roundTrip_keepsSubjectsInOrder_andThePredicateTree() throws Exception {
    Statement s =
        Statement.of(
            List.of(
                new Statement.Subject("manifests/registry.ollama.ai/library/tiny/latest", A),
                new Statement.Subject("blobs/" + B.fileName(), B)),
            Statement.INVENTORY_PREDICATE,
            JSON.readTree("{\"version\":1,\"models\":[]}"));

    Statement back = Statement.parse(s.toJson(), "s", Statement.INVENTORY_PREDICATE);

    assertThat(back.subjects())
        .containsExactly(
            java.util.Map.entry("manifests/registry.ollama.ai/library/tiny/latest", A),
            java.util.Map.entry("blobs/" + B.fileName(), B));
    assertThat(back.predicate()).isEqualTo(JSON.readTree("{\"version\":1,\"models\":[]}"));
    assertThat(JSON.readTree(s.toJson()).get("_type").asText())
        .isEqualTo("https://in-toto.io/Statement/v1");
    assertThat(JSON.readTree(s.toJson()).at("/subject/1/digest/sha256").asText())
        .isEqualTo(B.hex());
  }

  @Test
  void otherStatementTypes_andPredicates_areRefused() {
    byte[] v01 =
        ("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":[],\"predicateType\":\""
                + Statement.INVENTORY_PREDICATE
                + "\",\"predicate\":{}}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] slsa =
        ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],"
                + "\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Statement.parse(v01, "s", Statement.INVENTORY_PREDICATE))
        .hasMessageContaining("carries _type 'https://in-toto.io/Statement/v0.1'")
        .isInstanceOfSatisfying(
            SignatureCheckException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_PAYLOAD_TYPE));
    assertThatThrownBy(() -> Statement.parse(slsa, "s", Statement.INVENTORY_PREDICATE))
        .hasMessageContaining("has predicateType 'https://slsa.dev/provenance/v1'");
  }

  @Test
  void subjectWithoutSha256_isMalformed() {
    byte[] json =
        ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"x\",\"digest\":"
                + "{\"sha512\":\"00\"}}],\"predicateType\":\""
                + Statement.INVENTORY_PREDICATE
                + "\",\"predicate\":{}}")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Statement.parse(json, "s", Statement.INVENTORY_PREDICATE))
        .hasMessageContaining("subject[0] needs a string 'name' and 'digest.sha256'");
  }
}
