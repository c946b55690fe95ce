package org.ollamaairgap.common.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.sign.SignatureCheckException.Reason;

/** Every way an envelope is refused, each with a message naming which. Keys come from openssl. */
class EnvelopeVerifierTest {
  static final byte[] PAYLOAD = "{\"_type\":\"statement\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  Openssl openssl;
  SigningKey signing;
  Path trustedPub;
  Path otherKey;
  Path otherPub;

  @BeforeEach
  void keys() throws Exception {
    openssl = new Openssl(dir);
    Path[] a = openssl.keyPair("a");
    Path[] b = openssl.keyPair("b");
    signing = Ed25519Keys.readPrivate(a[0]);
    trustedPub = a[1];
    otherKey = b[0];
    otherPub = b[1];
  }

  EnvelopeVerifier trusting(Path pub) throws Exception {
    return new EnvelopeVerifier(Ed25519Keys.readPublic(pub));
  }

  Path write(Envelope e) throws Exception {
    return Files.write(dir.resolve("inventory.dsse.json"), e.toJson());
  }

  static void refused(ThrowingCallable call, Reason reason, String... fragments) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SignatureCheckException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .message()
        .contains(fragments);
  }

  @Test
  void signedByTheTrustedKey_verifies_andSaysWhichKey() throws Exception {
    Path file = write(new Signer(signing).sign(Statement.PAYLOAD_TYPE, PAYLOAD));

    EnvelopeVerifier.Verified v = trusting(trustedPub).verifyFile(file, Statement.PAYLOAD_TYPE);

    assertThat(v.payload()).isEqualTo(PAYLOAD);
    assertThat(v.key().keyId()).isEqualTo(signing.keyId());
  }

  @Test
  void severalTrustedKeys_forRotation_anyOneVerifies() throws Exception {
    Path both = dir.resolve("both.pem");
    Files.writeString(both, Files.readString(otherPub) + Files.readString(trustedPub));
    Path file = write(new Signer(signing).sign(Statement.PAYLOAD_TYPE, PAYLOAD));

    List<TrustedKey> keys = Ed25519Keys.readPublic(both);

    assertThat(keys).hasSize(2);
    assertThat(new EnvelopeVerifier(keys).verifyFile(file, Statement.PAYLOAD_TYPE).key().source())
        .endsWith("both.pem #2");
  }

  @Test
  void wrongKey_isRefused_namingBothKeyIds() throws Exception {
    Path file = write(new Signer(signing).sign(Statement.PAYLOAD_TYPE, PAYLOAD));
    EnvelopeVerifier other = trusting(otherPub);
    String otherId = Ed25519Keys.readPublic(otherPub).get(0).keyId();

    refused(
        () -> other.verifyFile(file, Statement.PAYLOAD_TYPE),
        Reason.WRONG_KEY,
        "is signed by key " + signing.keyId(),
        "none of the trusted keys (" + otherId);
  }

  @Test
  void tamperedPayload_isRefused_asTampered() throws Exception {
    Envelope good = new Signer(signing).sign(Statement.PAYLOAD_TYPE, PAYLOAD);
    byte[] changed = PAYLOAD.clone();
    changed[3] ^= 0x20;
    Path file = write(new Envelope(good.payloadType(), changed, good.signatures()));

    refused(
        () -> trusting(trustedPub).verifyFile(file, Statement.PAYLOAD_TYPE),
        Reason.TAMPERED,
        "was tampered with",
        "signature by trusted key " + signing.keyId() + " does not match its payload");
  }

  @Test
  void flippedSignatureByte_isRefused_asTampered() throws Exception {
    Envelope good = new Signer(signing).sign(Statement.PAYLOAD_TYPE, PAYLOAD);
    byte[] sig = good.signatures().get(0).sig();
    sig[0] ^= 0x01;
    Path file =
        write(
            new Envelope(
                good.payloadType(), PAYLOAD, List.of(new Envelope.Sig(signing.keyId(), sig))));

    refused(
        () -> trusting(trustedPub).verifyFile(file, Statement.PAYLOAD_TYPE),
        Reason.TAMPERED,
        "was tampered with");
  }

  @Test
  void changedPayloadType_breaksTheSignature_becauseThePaeBindsIt() throws Exception {
    Envelope good = new Signer(signing).sign(Statement.PAYLOAD_TYPE, PAYLOAD);
    Path file = write(new Envelope("application/json", PAYLOAD, good.signatures()));

    refused(
        () -> trusting(trustedPub).verifyFile(file, Statement.PAYLOAD_TYPE),
        Reason.TAMPERED,
        "was tampered with");
  }

  @Test
  void unknownPayloadType_signedByTheTrustedKey_isRefused_namingTheType() throws Exception {
    Path file = write(new Signer(signing).sign("application/vnd.example+json", PAYLOAD));

    refused(
        () -> trusting(trustedPub).verifyFile(file, Statement.PAYLOAD_TYPE),
        Reason.UNKNOWN_PAYLOAD_TYPE,
        "has payload type 'application/vnd.example+json', expected 'application/vnd.in-toto+json'");
  }

  @Test
  void missingSignature_isRefused_asUnsigned() throws Exception {
    Path file = write(new Envelope(Statement.PAYLOAD_TYPE, PAYLOAD, new ArrayList<>()));

    refused(
        () -> trusting(trustedPub).verifyFile(file, Statement.PAYLOAD_TYPE),
        Reason.UNSIGNED,
        "is unsigned: its envelope has no signature");
  }

  @Test
  void missingEnvelope_isRefused_asMissing_withWhatToDo() throws Exception {
    Path file = dir.resolve("absent.dsse.json");

    refused(
        () -> trusting(trustedPub).verifyFile(file, Statement.PAYLOAD_TYPE),
        Reason.MISSING,
        file + " is missing",
        "--signing-key (STAGER_SIGNING_KEY)");
  }

  @Test
  void notAnEnvelope_isRefused_asMalformed() throws Exception {
    Path file = Files.writeString(dir.resolve("x.json"), "{\"payload\": \"!!\"}");

    refused(
        () -> trusting(trustedPub).verifyFile(file, Statement.PAYLOAD_TYPE),
        Reason.MALFORMED,
        "is not a DSSE envelope: 'payloadType' is missing");
  }

  @Test
  void urlSafeUnpaddedBase64_isAccepted_asDsseAllows() throws Exception {
    Envelope good = new Signer(signing).sign(Statement.PAYLOAD_TYPE, PAYLOAD);
    String json =
        "{\"payloadType\":\""
            + Statement.PAYLOAD_TYPE
            + "\",\"payload\":\""
            + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(PAYLOAD)
            + "\",\"signatures\":[{\"sig\":\""
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(good.signatures().get(0).sig())
            + "\"}]}";
    Path file = Files.writeString(dir.resolve("u.json"), json);

    assertThat(trusting(trustedPub).verifyFile(file, Statement.PAYLOAD_TYPE).payload())
        .isEqualTo(PAYLOAD);
  }

  @Test
  void publicKeyAsSigningKey_isRefused() throws Exception {
    refused(
        () -> Ed25519Keys.readPrivate(trustedPub),
        Reason.BAD_KEY,
        "holds a public key, but signing needs the private key");
  }

  @Test
  void privateKeyAsTrustKey_isRefused_soItNeverTravelsToProduction() throws Exception {
    refused(
        () -> Ed25519Keys.readPublic(otherKey),
        Reason.BAD_KEY,
        "holds a private key; give the public key only");
  }

  @Test
  void nonEd25519AndEncryptedKeys_areRefused_withTheOpensslCommandToFixIt() throws Exception {
    Path ec = dir.resolve("ec.pem");
    openssl.ok(
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        ec.toString());
    Path encrypted = dir.resolve("enc.pem");
    openssl.ok(
        "genpkey",
        "-algorithm",
        "ed25519",
        "-aes256",
        "-pass",
        "pass:secret",
        "-out",
        encrypted.toString());

    refused(
        () -> Ed25519Keys.readPrivate(ec),
        Reason.BAD_KEY,
        "does not hold an Ed25519 key",
        "openssl genpkey -algorithm ed25519");
    refused(
        () -> Ed25519Keys.readPrivate(encrypted),
        Reason.BAD_KEY,
        "'ENCRYPTED PRIVATE KEY' block: it is encrypted");
    refused(
        () -> Ed25519Keys.readPrivate(dir.resolve("nope.pem")), Reason.BAD_KEY, "does not exist");
  }

  @Test
  void pae_matchesTheDsseSpecExample() {
    assertThat(
            new String(
                Pae.encode(
                    "http://example.com/HelloWorld",
                    "hello world".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @Test
  void signingKey_toString_neverShowsKeyMaterial() {
    assertThat(signing.toString())
        .isEqualTo("SigningKey[" + signing.keyId() + " from " + dir.resolve("a.pem") + "]");
  }
}
