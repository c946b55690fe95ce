package org.ollamaairgap.stager.driver;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.ollamaairgap.app.UsageException;

/** Chooses the driver {@code --driver} names, among the {@link DriverProvider} beans present. */
@ApplicationScoped
public class Drivers {
  private final List<DriverProvider> providers;

  Drivers(@All List<DriverProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  /** The provider for {@code name}, or a usage error saying what is available. */
  public DriverProvider select(String name) throws UsageException {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (DriverProvider provider : providers) {
      if (provider.name().equals(wanted)) {
        return provider;
      }
    }
    TreeSet<String> available = new TreeSet<>();
    providers.forEach(p -> available.add(p.name()));
    String choices =
        available.isEmpty()
            ? "this build has no driver at all"
            : "use --driver " + String.join(" or --driver ", available);
    throw new UsageException(
        "unknown driver '" + name + "' (--driver / STAGER_DRIVER): " + choices);
  }
}
