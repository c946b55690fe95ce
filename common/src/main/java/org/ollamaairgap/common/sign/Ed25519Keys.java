package org.ollamaairgap.common.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.sign.SignatureCheckException.Reason;

/**
 * Reads Ed25519 keys from PEM files as Debian's {@code openssl} writes them: a PKCS#8 {@code
 * PRIVATE KEY} ({@code openssl genpkey -algorithm ed25519 -out key.pem}) and X.509
 * SubjectPublicKeyInfo {@code PUBLIC KEY} blocks ({@code openssl pkey -in key.pem -pubout -out
 * pub.pem}). A public key file may hold several blocks, for key rotation. Only the JDK's own EdDSA
 * provider is used.
 */
public final class Ed25519Keys {
  /** Key files are a few hundred bytes; anything far bigger is the wrong file. */
  private static final long MAX_FILE_BYTES = 64 * 1024;

  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);
  private static final String GENERATE =
      "generate one with 'openssl genpkey -algorithm ed25519 -out key.pem'";

  private Ed25519Keys() {}

  /**
   * {@code sha256:<hex>} of the key's DER SubjectPublicKeyInfo, as {@code openssl pkey -pubin
   * -outform DER | sha256sum} prints it.
   */
  public static String keyId(PublicKey key) {
    return Sha256.of(key.getEncoded()).toString();
  }

  /** Reads the one Ed25519 private key of a PKCS#8 PEM file. */
  public static SigningKey readPrivate(Path file) throws SignatureCheckException {
    List<String[]> blocks = blocks(file);
    List<String[]> keys = new ArrayList<>();
    for (String[] b : blocks) {
      if (b[0].equals("PRIVATE KEY")) {
        keys.add(b);
      } else if (b[0].equals("PUBLIC KEY")) {
        throw bad(file, "holds a public key, but signing needs the private key; " + GENERATE);
      } else {
        throw unsupported(file, b[0]);
      }
    }
    if (keys.size() != 1) {
      throw bad(file, "holds " + keys.size() + " private keys, expected exactly one");
    }
    PrivateKey privateKey;
    try {
      privateKey =
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(new PKCS8EncodedKeySpec(der(file, keys.get(0)[1])));
    } catch (GeneralSecurityException e) {
      throw notEd25519(file, e);
    }
    PublicKey publicKey = publicOf(file, privateKey);
    return new SigningKey(privateKey, publicKey, keyId(publicKey), file.toString());
  }

  /** Reads every {@code PUBLIC KEY} block of a PEM file; each must be Ed25519. */
  public static List<TrustedKey> readPublic(Path file) throws SignatureCheckException {
    List<TrustedKey> keys = new ArrayList<>();
    for (String[] b : blocks(file)) {
      if (b[0].equals("PRIVATE KEY") || b[0].endsWith(" PRIVATE KEY")) {
        throw bad(
            file,
            "holds a private key; give the public key only, made with 'openssl pkey -in key.pem"
                + " -pubout -out pub.pem' (the private key must stay on the signing side)");
      }
      if (!b[0].equals("PUBLIC KEY")) {
        throw unsupported(file, b[0]);
      }
      try {
        PublicKey key =
            KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(der(file, b[1])));
        keys.add(
            new TrustedKey(
                key, keyId(key), file + (keys.isEmpty() ? "" : " #" + (keys.size() + 1))));
      } catch (GeneralSecurityException e) {
        throw notEd25519(file, e);
      }
    }
    if (keys.isEmpty()) {
      throw bad(file, "holds no PEM 'PUBLIC KEY' block");
    }
    return keys;
  }

  private static List<String[]> blocks(Path file) throws SignatureCheckException {
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw bad(file, "is " + Files.size(file) + " bytes, far too big for a PEM key file");
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new SignatureCheckException(Reason.BAD_KEY, "key file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new SignatureCheckException(
          Reason.BAD_KEY, "cannot read key file " + file + ": " + e.getMessage(), e);
    }
    List<String[]> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      blocks.add(new String[] {m.group(1), m.group(2)});
    }
    if (blocks.isEmpty()) {
      throw bad(file, "is not a PEM file (no '-----BEGIN ...-----' block); " + GENERATE);
    }
    return blocks;
  }

  private static byte[] der(Path file, String base64) throws SignatureCheckException {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw bad(file, "has a PEM block that is not valid base64: " + e.getMessage());
    }
  }

  /**
   * A PKCS#8 file from {@code openssl genpkey} holds no public key, and JDK 17 has no call that
   * computes it. Its EdDSA key-pair generator does: it draws the 32-byte private key from the given
   * random source and derives the public key from it, so a source that returns exactly our key
   * bytes yields our key pair. A signature made with the file's key and checked with the derived
   * key proves the pair matches, so a JDK that generated differently would fail here, not later.
   */
  private static PublicKey publicOf(Path file, PrivateKey key) throws SignatureCheckException {
    if (!(key instanceof EdECPrivateKey edKey) || edKey.getBytes().isEmpty()) {
      throw bad(file, "is not an Ed25519 private key with its key bytes; " + GENERATE);
    }
    byte[] seed = edKey.getBytes().get();
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
      KeyPair pair = generator.generateKeyPair();
      byte[] probe = "ollama-airgap key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(probe);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(pair.getPublic());
      verifier.update(probe);
      if (!verifier.verify(sig)) {
        throw bad(file, "could not derive its public key (this Java runtime's EdDSA differs)");
      }
      return pair.getPublic();
    } catch (GeneralSecurityException e) {
      throw new SignatureCheckException(
          Reason.BAD_KEY, "cannot use the key in " + file + ": " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(seed, (byte) 0);
    }
  }

  private static SignatureCheckException notEd25519(Path file, GeneralSecurityException e) {
    return new SignatureCheckException(
        Reason.BAD_KEY,
        "key file "
            + file
            + " does not hold an Ed25519 key ("
            + e.getMessage()
            + "); 'openssl pkey -in FILE -noout -text' shows its type; "
            + GENERATE,
        e);
  }

  private static SignatureCheckException unsupported(Path file, String type) {
    String hint =
        type.contains("ENCRYPTED")
            ? "it is encrypted: decrypt it with 'openssl pkey -in FILE -out PLAIN.pem'"
            : "only PKCS#8 'PRIVATE KEY' and X.509 'PUBLIC KEY' blocks are read; convert it with"
                + " 'openssl pkey' or "
                + GENERATE;
    return bad(file, "holds a PEM '" + type + "' block: " + hint);
  }

  private static SignatureCheckException bad(Path file, String why) {
    return new SignatureCheckException(Reason.BAD_KEY, "key file " + file + " " + why);
  }

  /** A random source that returns the given bytes; see {@link #publicOf}. */
  private static final class FixedBytes extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    FixedBytes(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new IllegalStateException(
            "EdDSA asked for " + out.length + " random bytes, expected " + bytes.length);
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }
}
