package org.ollamaairgap.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's nginx on a free 127.0.0.1 port, configured by a {@link Builder}: either a "CDN" that
 * serves a registry storage directory as files, or a reverse proxy in front of a {@link
 * LocalRegistry}, plus {@link Fault}s per path prefix. Everything (config, pid, logs, temp files)
 * lives in the directory given to {@link #builder(Path)}.
 *
 * <p>The access log records {@code $bytes_sent} per request, so {@link #bytesSent(String)} tells
 * what really went over the wire.
 */
public final class Nginx implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/nginx");
  static final Path PERL_MODULE = Path.of("/usr/lib/nginx/modules/ngx_http_perl_module.so");
  static final String STATUS_PATH = "/__fixture_status";
  private static final Pattern REQUESTS = Pattern.compile("\\s(\\d+)\\s+(\\d+)\\s+(\\d+)\\s");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final FixtureProcess process;
  private final int port;
  private final Path dir;

  /** One line of the access log. */
  public record Request(
      String method, String uri, int status, long bytesSent, long bodyBytesSent, String range) {}

  private Nginx(FixtureProcess process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts configuring an nginx whose files live under {@code dir}. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** A CDN serving {@code storage} (see {@link Builder#cdn(Path)}) without faults. */
  public static Nginx cdn(Path dir, Path storage) throws IOException {
    return builder(dir).cdn(storage).start();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code http://localhost:PORT}: the same server under another host name, for CDN redirects. */
  public String cdnBaseUrl() {
    return "http://localhost:" + port;
  }

  /** The TCP port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The access log (tab-separated: method, request URI, status, bytes sent, body bytes, Range). */
  public Path accessLog() {
    return dir.resolve("logs/access.log");
  }

  /** nginx's error log. */
  public Path errorLog() {
    return dir.resolve("logs/error.log");
  }

  /** Every request nginx has finished so far, in order, after waiting for the log to catch up. */
  public synchronized List<Request> requests() throws IOException {
    awaitLogged();
    List<Request> requests = new ArrayList<>();
    String log = Files.exists(accessLog()) ? Files.readString(accessLog()) : "";
    // A request ending right now may have written half a line: use complete lines only.
    log = log.substring(0, log.lastIndexOf('\n') + 1);
    for (String line : log.lines().toList()) {
      String[] f = line.split("\t", -1);
      requests.add(
          new Request(
              f[0],
              f[1],
              Integer.parseInt(f[2]),
              Long.parseLong(f[3]),
              Long.parseLong(f[4]),
              "-".equals(f[5]) ? "" : f[5]));
    }
    return requests;
  }

  /** Finished requests whose URI (without query) starts with {@code pathPrefix}. */
  public List<Request> requests(String pathPrefix) throws IOException {
    return requests().stream().filter(r -> path(r.uri()).startsWith(pathPrefix)).toList();
  }

  /** Bytes (headers and body) sent for all finished requests. */
  public long bytesSent() throws IOException {
    return bytesSent("/");
  }

  /** Bytes (headers and body) sent for finished requests whose path starts with the prefix. */
  public long bytesSent(String pathPrefix) throws IOException {
    return requests(pathPrefix).stream().mapToLong(Request::bytesSent).sum();
  }

  /** Body bytes sent for finished requests whose path starts with the prefix. */
  public long bodyBytesSent(String pathPrefix) throws IOException {
    return requests(pathPrefix).stream().mapToLong(Request::bodyBytesSent).sum();
  }

  private static String path(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  /**
   * nginx writes a log line only when a request ends, possibly after the client already has the
   * response: wait until every request counted by stub_status is in the access log or (for the
   * status requests themselves) the status log. nginx runs as one single-threaded process, so a
   * request that has ended has also been logged by the time it answers the status request.
   */
  private void awaitLogged() throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      long counted = statusRequests();
      // The status request being answered is counted but not logged yet.
      long started = counted - 1 - lineCount(dir.resolve("logs/status.log"));
      long logged = lineCount(accessLog());
      if (logged >= started) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "nginx started "
                + started
                + " requests but logged only "
                + logged
                + " after 10 s; is a transfer still running? See "
                + accessLog());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading " + accessLog());
      }
    }
  }

  private static long lineCount(Path log) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    try (InputStream in = Files.newInputStream(log)) {
      long lines = 0;
      for (byte b : in.readAllBytes()) {
        if (b == '\n') {
          lines++;
        }
      }
      return lines;
    }
  }

  private long statusRequests() throws IOException {
    String body = stubStatus();
    Matcher m = REQUESTS.matcher(body);
    if (!m.find()) {
      throw new IOException("unexpected nginx stub_status answer: " + body);
    }
    return Long.parseLong(m.group(3));
  }

  /**
   * nginx's stub_status page now ({@code Active connections}, request counters, {@code Reading:
   * Writing: Waiting:}); the status request itself counts as one writing request.
   */
  public String stubStatus() throws IOException {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(baseUrl() + STATUS_PATH)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while asking nginx for its status");
    }
  }

  /** Stops nginx (SIGTERM, then SIGKILL after 5 s); the logs stay for inspection. */
  @Override
  public void close() {
    process.close();
  }

  /** Configures and starts an {@link Nginx}. */
  public static final class Builder {
    private final Path dir;
    private final Map<String, List<Fault>> faults = new LinkedHashMap<>();
    private Path storage;
    private String upstream;

    private Builder(Path dir) {
      this.dir = dir.toAbsolutePath();
    }

    /**
     * Serves files from a registry storage directory, so redirected blob requests {@code
     * /docker/registry/v2/blobs/sha256/<xx>/<hex>/data} work (with {@code Range}, query ignored).
     */
    public Builder cdn(Path storageDir) {
      this.storage = storageDir.toAbsolutePath();
      this.upstream = null;
      return this;
    }

    /**
     * Proxies every request to the registry (keeping the {@code Host} header, without buffering);
     * TRUNCATE and CORRUPT faults read the blob from the registry's storage instead.
     */
    public Builder proxy(LocalRegistry registry) {
      this.storage = registry.storageDir();
      this.upstream = registry.baseUrl();
      return this;
    }

    /**
     * Adds a fault for requests whose path starts with {@code pathPrefix}; several faults on one
     * prefix apply in order (the first one that answers wins, slow combines with the others).
     */
    public Builder fault(String pathPrefix, Fault fault) {
      if (!pathPrefix.startsWith("/") || pathPrefix.matches(".*[\\s;{}'\"].*")) {
        throw new IllegalArgumentException("bad path prefix: " + pathPrefix);
      }
      faults.computeIfAbsent(pathPrefix, p -> new ArrayList<>()).add(fault);
      return this;
    }

    /** Writes the config and starts nginx, waiting until it answers. */
    public Nginx start() throws IOException {
      if (storage == null) {
        throw new IllegalStateException("call cdn(storageDir) or proxy(registry) first");
      }
      FixtureProcess.require(BINARY, "nginx");
      FixtureProcess.require(PERL_MODULE, "nginx's perl module (libnginx-mod-http-perl)");
      for (String sub : List.of("logs", "temp/body", "temp/proxy", "temp/fastcgi", "temp/uwsgi")) {
        Files.createDirectories(dir.resolve(sub));
      }
      Files.createDirectories(dir.resolve("temp/scgi"));
      try (InputStream perl = Nginx.class.getResourceAsStream("Fixture.pm")) {
        if (perl == null) {
          throw new IOException("Fixture.pm missing from the classpath next to Nginx.class");
        }
        Files.write(dir.resolve("Fixture.pm"), perl.readAllBytes());
      }
      for (int attempt = 1; ; attempt++) {
        int port = FixtureProcess.freePort();
        Path conf = dir.resolve("nginx.conf");
        String id = FixtureProcess.newId();
        Files.writeString(conf, new NginxConfig(dir, storage, upstream, faults).render(port, id));
        FixtureProcess process =
            FixtureProcess.start(
                "nginx",
                List.of(BINARY.toString(), "-p", dir + "/", "-c", conf.toString()),
                dir,
                dir.resolve("logs/stdio.log"));
        Nginx nginx = new Nginx(process, port, dir);
        if (process.awaitHttp(nginx.baseUrl() + STATUS_PATH, 200, id)) {
          return nginx;
        }
        process.close();
        if (attempt == 3) {
          throw new IOException(
              "nginx exited during start-up; see "
                  + dir.resolve("logs")
                  + ":\n"
                  + process.logTail()
                  + "\n"
                  + Files.readString(dir.resolve("logs/error.log")));
        }
      }
    }
  }
}
