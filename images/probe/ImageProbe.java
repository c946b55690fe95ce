import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs inside an image (the images have no shell) and reports who it runs as and whether the
 * root filesystem can be written; used by images/check-images.sh, not part of the apps.
 *
 * <p>{@code java -cp /probe ImageProbe --tls <https-url>}: one HEAD request with the JDK's HTTP
 * client (TLS, CA store, EC cipher suites of the linked JRE); exits 0 on any HTTP status.
 *
 * <p>Usage: {@code java -cp /probe ImageProbe <path>...}: prints {@code uid=<n>}, {@code
 * gid=<n>}, {@code shell=<present|absent>} and, per path, {@code writable <path>} or {@code
 * read-only <path> (<reason>)}; exits 0 only if uid and gid are not 0, no shell exists and no path
 * is writable.
 */
public final class ImageProbe {
  private ImageProbe() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 2 && args[0].equals("--tls")) {
      HttpResponse<Void> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(args[1]))
                      .method("HEAD", HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      System.out.println(
          "HTTP "
              + response.statusCode()
              + " "
              + response.sslSession().map(s -> s.getProtocol() + " " + s.getCipherSuite()).orElse(""));
      return;
    }
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
