package org.ollamaairgap.stager.inventory;

import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.common.sign.Ed25519Keys;
import org.ollamaairgap.common.sign.SignatureCheckException;
import org.ollamaairgap.common.sign.Signer;
import org.ollamaairgap.stager.config.StagerConfig;

/** The one reader of {@code --signing-key}, for a staging run and for an export alike. */
public final class InventorySigner {
  private InventorySigner() {}

  /**
   * The inventory's signer from {@code --signing-key}, read before anything is touched, so a wrong
   * key is a usage error and never a half-done run; null when no key is set.
   */
  public static Signer fromConfig(StagerConfig config) throws UsageException {
    if (config.signingKey().isEmpty()) {
      return null;
    }
    try {
      return new Signer(Ed25519Keys.readPrivate(config.signingKey().get()));
    } catch (SignatureCheckException e) {
      throw new UsageException("--signing-key / STAGER_SIGNING_KEY: " + e.getMessage(), e);
    }
  }
}
