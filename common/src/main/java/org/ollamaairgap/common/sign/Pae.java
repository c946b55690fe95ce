package org.ollamaairgap.common.sign;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The DSSE pre-authentication encoding, the only bytes that are signed:
 *
 * <pre>
 *   "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * </pre>
 *
 * where {@code LEN} is the byte length in ASCII decimal and {@code type} is UTF-8. Signing these
 * bytes instead of the payload alone binds the payload type, so a signed inventory cannot be
 * replayed as some other kind of document.
 *
 * @see <a href="https://github.com/secure-systems-lab/dsse/blob/master/protocol.md">DSSE
 *     protocol</a>
 */
public final class Pae {
  private Pae() {}

  public static byte[] encode(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
