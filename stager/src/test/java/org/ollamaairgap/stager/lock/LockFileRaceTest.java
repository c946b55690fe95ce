package org.ollamaairgap.stager.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Two separate JVMs (separate pids, as two stagers on two nodes would be) take the same lock file
 * in a loop; each writes "enter"/"leave" lines to a shared journal while it holds the lock. Mutual
 * exclusion means the journal never shows two enters in a row.
 */
class LockFileRaceTest {
  private static final int ROUNDS = 15;

  @TempDir Path store;

  @Test
  void twoProcesses_neverHoldTheLockAtTheSameTime() throws Exception {
    Path journal = store.resolve("journal");
    Path go = store.resolve("go");
    List<Process> processes = new ArrayList<>();
    for (String name : List.of("p1", "p2")) {
      processes.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Racer.class.getName(),
                  store.toString(),
                  journal.toString(),
                  go.toString(),
                  name,
                  Integer.toString(ROUNDS))
              .redirectErrorStream(true)
              .redirectOutput(store.resolve(name + ".log").toFile())
              .start());
    }
    Files.writeString(go, "go"); // both start their loops at about the same moment
    for (Process process : processes) {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue())
          .as(
              "racer log:%n%s",
              Files.readString(store.resolve("p1.log")) + Files.readString(store.resolve("p2.log")))
          .isZero();
    }
    List<String> lines = Files.readAllLines(journal);
    assertThat(lines).hasSize(2 * 2 * ROUNDS);
    for (int i = 0; i < lines.size(); i += 2) {
      String enter = lines.get(i);
      String leave = lines.get(i + 1);
      assertThat(enter).startsWith("enter ");
      assertThat(leave).isEqualTo("leave " + enter.substring("enter ".length()));
    }
    assertThat(lines).anyMatch(l -> l.equals("enter p1")).anyMatch(l -> l.equals("enter p2"));
  }

  /** One racing process. */
  public static final class Racer {
    private Racer() {}

    public static void main(String[] args) throws Exception {
      Path store = Path.of(args[0]);
      Path journal = Path.of(args[1]);
      Path go = Path.of(args[2]);
      String name = args[3];
      int rounds = Integer.parseInt(args[4]);
      LockFile lock =
          new LockFile(
              new StoreLayout(store),
              Identity.current(System.getenv()),
              Duration.ofMinutes(2),
              Duration.ofMillis(5),
              Clock.systemUTC());
      while (!Files.exists(go)) {
        Thread.sleep(5);
      }
      for (int i = 0; i < rounds; i++) {
        try (StoreLock.Held held = lock.acquire(Duration.ofMinutes(1))) {
          append(journal, "enter " + name);
          Thread.sleep(10);
          append(journal, "leave " + name);
        }
      }
    }

    private static void append(Path journal, String line) throws Exception {
      Files.writeString(
          journal,
          line + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }
}
