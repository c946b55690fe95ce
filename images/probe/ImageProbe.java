import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs inside an image (the images have no shell) and reports who it runs as and whether the
 * root filesystem can be written; used by images/check-images.sh, not part of the apps.
 *
 * <p>Usage: {@code java -cp /probe ImageProbe <path>...}: prints {@code uid=<n>}, {@code
 * gid=<n>}, {@code shell=<present|absent>} and, per path, {@code writable <path>} or {@code
 * read-only <path> (<reason>)}; exits 0 only if uid and gid are not 0, no shell exists and no path
 * is writable.
 */
public final class ImageProbe {
  private ImageProbe() {}

  public static void main(String[] args) throws IOException {
    boolean ok = true;
    String uid = statusField("Uid:");
    String gid = statusField("Gid:");
    System.out.println("uid=" + uid);
    System.out.println("gid=" + gid);
    if ("0".equals(uid) || "0".equals(gid)) {
      ok = false;
    }
    boolean shell = false;
    for (String sh : List.of("/bin/sh", "/bin/bash", "/bin/busybox", "/usr/bin/sh")) {
      shell |= Files.exists(Path.of(sh));
    }
    System.out.println("shell=" + (shell ? "present" : "absent"));
    ok &= !shell;
    for (String dir : args) {
      Path probe = Path.of(dir, ".image-probe-" + ProcessHandle.current().pid());
      try {
        Files.writeString(probe, "x");
        Files.delete(probe);
        System.out.println("writable " + dir);
        ok = false;
      } catch (IOException e) {
        System.out.println("read-only " + dir + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    System.exit(ok ? 0 : 1);
  }

  /** The effective id from a {@code Uid:}/{@code Gid:} line of /proc/self/status. */
  private static String statusField(String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(name)) {
        return line.substring(name.length()).trim().split("\\s+")[1];
      }
    }
    return "unknown";
  }
}
