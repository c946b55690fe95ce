package org.ollamaairgap.common.verify;

import java.util.List;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.sign.TrustedKey;

/**
 * What makes the store's inventory trusted: a pinned digest ({@code --inventory-digest}), keys its
 * DSSE envelope must verify with ({@code --trust-key}), or both (then both must hold).
 *
 * @param pin the digest the inventory file must hash to, or null
 * @param keys public keys one of which must have signed {@code inventory.dsse.json}; empty: none
 * @param onlyTrusted a model on disk that the trusted inventory does not list is an ERROR
 */
public record InventoryTrust(Digest pin, List<TrustedKey> keys, boolean onlyTrusted) {
  /** Verify without an inventory. */
  public static final InventoryTrust NONE = new InventoryTrust(null, List.of(), false);

  public InventoryTrust {
    keys = List.copyOf(keys);
    if (onlyTrusted && pin == null && keys.isEmpty()) {
      throw new IllegalArgumentException("only-trusted needs a pin or a trusted key");
    }
  }

  /** Trust the inventory that hashes to {@code pin}. */
  public static InventoryTrust pinned(Digest pin) {
    return new InventoryTrust(pin, List.of(), false);
  }

  /** Whether an inventory is to be trusted at all. */
  public boolean enabled() {
    return pin != null || !keys.isEmpty();
  }
}
