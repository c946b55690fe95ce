package org.ollamaairgap.common.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.digest.Sha256;

/** Our Ed25519 over the DSSE PAE against a tool we did not write: Debian's openssl 3. */
class OpensslInteropTest {
  @TempDir Path dir;
  Openssl openssl;
  Path key;
  Path pub;

  @BeforeEach
  void keys() throws Exception {
    openssl = new Openssl(dir);
    Path[] pair = openssl.keyPair("signer");
    key = pair[0];
    pub = pair[1];
  }

  @Test
  void ourSignatureOverThePae_verifiesWithOpenssl_andAFlippedByteIsRejected() throws Exception {
    Envelope envelope =
        new Signer(Ed25519Keys.readPrivate(key))
            .sign(Statement.PAYLOAD_TYPE, "{\"_type\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    Path pae = Files.write(dir.resolve("pae.bin"), envelope.pae());
    Path sig = Files.write(dir.resolve("sig.bin"), envelope.signatures().get(0).sig());

    Openssl.Result good =
        openssl.run(
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            pub.toString(),
            "-rawin",
            "-in",
            pae.toString(),
            "-sigfile",
            sig.toString());
    assertThat(good.exit()).as(good.output()).isZero();
    assertThat(good.output()).contains("Signature Verified Successfully");

    byte[] flipped = envelope.pae();
    flipped[flipped.length - 2] ^= 0x01;
    Path bad = Files.write(dir.resolve("flipped.bin"), flipped);
    Openssl.Result refused =
        openssl.run(
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            pub.toString(),
            "-rawin",
            "-in",
            bad.toString(),
            "-sigfile",
            sig.toString());
    assertThat(refused.exit()).as(refused.output()).isNotZero();
    assertThat(refused.output()).contains("Signature Verification Failure");
  }

  @Test
  void opensslSignatureOverThePae_verifiesWithOurs() throws Exception {
    byte[] payload = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
    Path pae = Files.write(dir.resolve("pae.bin"), Pae.encode(Statement.PAYLOAD_TYPE, payload));
    Path sig = dir.resolve("sig.bin");
    openssl.ok(
        "pkeyutl",
        "-sign",
        "-inkey",
        key.toString(),
        "-rawin",
        "-in",
        pae.toString(),
        "-out",
        sig.toString());
    Envelope envelope =
        new Envelope(
            Statement.PAYLOAD_TYPE,
            payload,
            List.of(new Envelope.Sig("", Files.readAllBytes(sig))));

    EnvelopeVerifier.Verified verified =
        new EnvelopeVerifier(Ed25519Keys.readPublic(pub))
            .verify(Envelope.parse(envelope.toJson(), "e.json"), "e.json", Statement.PAYLOAD_TYPE);

    assertThat(verified.payload()).isEqualTo(payload);
  }

  @Test
  void keyId_isTheSha256OfTheDerPublicKey_asOpensslWritesIt() throws Exception {
    Path der = dir.resolve("pub.der");
    openssl.ok("pkey", "-pubin", "-in", pub.toString(), "-outform", "DER", "-out", der.toString());
    String expected = Sha256.of(Files.readAllBytes(der)).toString();

    assertThat(Ed25519Keys.readPublic(pub).get(0).keyId()).isEqualTo(expected);
    assertThat(Ed25519Keys.readPrivate(key).keyId()).isEqualTo(expected);
  }

  @Test
  void signaturesAreDeterministic_sameAsOpenssl() throws Exception {
    // Ed25519 has no randomness: identical bytes prove the derived key pair is the file's.
    byte[] message = Pae.encode("t", new byte[] {1, 2, 3});
    Path msg = Files.write(dir.resolve("m.bin"), message);
    Path sig = dir.resolve("m.sig");
    openssl.ok(
        "pkeyutl",
        "-sign",
        "-inkey",
        key.toString(),
        "-rawin",
        "-in",
        msg.toString(),
        "-out",
        sig.toString());

    Envelope ours = new Signer(Ed25519Keys.readPrivate(key)).sign("t", new byte[] {1, 2, 3});

    assertThat(ours.signatures().get(0).sig()).isEqualTo(Files.readAllBytes(sig));
  }
}
