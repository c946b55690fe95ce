package org.ollamaairgap.stager.run;

import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.store.Spelling;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * The names the models of a run will have on disk, whatever the driver ({@link Spelling}): never a
 * second spelling of a host, namespace, model or tag, since Ollama would then resolve lookups at
 * random. Each model reuses the spelling of the store and of the models before it in the list; one
 * whose name the store already spells in two ways is refused before anything is fetched.
 */
final class DiskNames {
  private static final Logger LOG = Logger.getLogger(DiskNames.class);

  /**
   * @param model the name to stage under (the requested one when refused)
   * @param refused why it cannot be staged, or null
   */
  record Named(ModelName model, String refused) {}

  private DiskNames() {}

  static List<Named> of(StoreLayout layout, List<ModelName> models) {
    Spelling spelling = Spelling.of(layout);
    List<Named> named = new ArrayList<>();
    for (ModelName requested : models) {
      try {
        ModelName model = spelling.onDisk(requested);
        spelling.add(model);
        if (!model.toString().equals(requested.toString())) {
          LOG.infof(
              "%s: staged as %s, the spelling Ollama uses for it (names match case-insensitively)",
              requested, model);
        }
        named.add(new Named(model, null));
      } catch (StoreException e) {
        named.add(new Named(requested, e.getMessage()));
      }
    }
    return named;
  }
}
