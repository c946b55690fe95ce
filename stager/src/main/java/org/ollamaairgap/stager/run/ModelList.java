package org.ollamaairgap.stager.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;

/** Parses the whole model list before anything happens, so one bad name stops the run at once. */
public final class ModelList {
  private ModelList() {}

  /**
   * The distinct models, in the order given. Names that differ only in case are one model, as for
   * Ollama. Every bad name is reported, not just the first.
   */
  public static List<ModelName> parse(List<String> names) throws UsageException {
    Map<String, ModelName> models = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String raw : names) {
      if (ModelName.trimSpace(raw).isEmpty()) {
        continue;
      }
      try {
        ModelName name = ModelName.parse(raw);
        models.putIfAbsent(name.key(), name);
      } catch (StoreException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new UsageException(
          String.join("; ", problems)
              + ". Nothing was staged; fix the list (--models / STAGER_MODELS) and run again.");
    }
    if (models.isEmpty()) {
      throw new UsageException(
          "no models to stage: give model names as arguments, with --models or STAGER_MODELS"
              + " (e.g. --models llama3.2:1b,qwen2.5:0.5b)");
    }
    return List.copyOf(models.values());
  }
}
