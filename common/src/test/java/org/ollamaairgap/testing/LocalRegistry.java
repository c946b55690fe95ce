package org.ollamaairgap.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;

/**
 * A real Docker registry (Debian's {@code docker-registry}, CNCF distribution 2.8) on a free
 * 127.0.0.1 port, without auth, storing into a directory of the test.
 *
 * <p>{@link #start(Path)} gives a writable registry that serves blobs itself. {@link
 * #startRedirecting(Path, Path, String)} gives a second, read-only process on the same storage
 * whose blob GET/HEAD answer {@code 307} to a CDN (an {@link Nginx} from {@link
 * Nginx.Builder#cdn(Path)}), as registry.ollama.ai does.
 *
 * <p>Requests to a registry repository use {@link ModelName#repository()} ({@code namespace/model})
 * and the tag as reference; the registry rejects upper-case repository names.
 */
public final class LocalRegistry implements AutoCloseable {
  /** The manifest media type the registry needs in {@code Accept} and manifest PUTs. */
  public static final String MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

  static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final FixtureProcess process;
  private final int port;
  private final Path storage;
  private final Path dir;

  private LocalRegistry(FixtureProcess process, int port, Path storage, Path dir) {
    this.process = process;
    this.port = port;
    this.storage = storage;
    this.dir = dir;
  }

  /** Starts a writable registry with config, log and storage ({@code dir/storage}) under dir. */
  public static LocalRegistry start(Path dir) throws IOException {
    Path storage = dir.toAbsolutePath().resolve("storage");
    Files.createDirectories(storage);
    return launch(dir, storage, false, null);
  }

  /**
   * Starts a read-only registry on an existing {@code storage} whose blob requests answer {@code
   * 307 Location: <cdnBaseUrl>/docker/registry/v2/blobs/sha256/<xx>/<hex>/data}; use a CDN base URL
   * with another host name than {@code 127.0.0.1} (such as {@link Nginx#cdnBaseUrl()}).
   */
  public static LocalRegistry startRedirecting(Path dir, Path storage, String cdnBaseUrl)
      throws IOException {
    return launch(dir, storage, true, cdnBaseUrl);
  }

  /** Starts a read-only redirecting registry on this registry's storage (see above). */
  public LocalRegistry startRedirecting(Path dir, String cdnBaseUrl) throws IOException {
    return startRedirecting(dir, storage, cdnBaseUrl);
  }

  private static LocalRegistry launch(Path relDir, Path storage, boolean readOnly, String cdn)
      throws IOException {
    FixtureProcess.require(BINARY, "docker-registry");
    Path dir = relDir.toAbsolutePath();
    Files.createDirectories(dir);
    Path log = dir.resolve("registry.log");
    // Another process may grab the free port before the registry binds it: retry a few times.
    for (int attempt = 1; ; attempt++) {
      int port = FixtureProcess.freePort();
      Path config = dir.resolve("config.yml");
      String id = FixtureProcess.newId();
      Files.writeString(config, config(storage, port, readOnly, cdn, id));
      FixtureProcess process =
          FixtureProcess.start(
              "docker-registry", List.of(BINARY.toString(), "serve", config.toString()), dir, log);
      if (process.awaitHttp("http://127.0.0.1:" + port + "/v2/", 200, id)) {
        return new LocalRegistry(process, port, storage.toAbsolutePath(), dir);
      }
      process.close();
      if (attempt == 3) {
        throw new IOException(
            "docker-registry exited during start-up; log " + log + ":\n" + process.logTail());
      }
    }
  }

  private static String config(Path storage, int port, boolean readOnly, String cdn, String id) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("version: 0.1\n")
        .append("log:\n  level: info\n  formatter: text\n")
        .append("storage:\n")
        .append("  filesystem:\n    rootdirectory: \"")
        .append(storage.toAbsolutePath())
        .append("\"\n")
        .append("  delete:\n    enabled: true\n")
        .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
        .append("    readonly:\n      enabled: ")
        .append(readOnly)
        .append('\n')
        .append("http:\n  addr: 127.0.0.1:")
        .append(port)
        .append("\n  secret: ollama-airgap-test-fixture\n")
        .append("  headers:\n    ")
        .append(FixtureProcess.ID_HEADER)
        .append(": [\"")
        .append(id)
        .append("\"]\n");
    if (cdn != null) {
      yaml.append("middleware:\n  storage:\n    - name: redirect\n      options:\n")
          .append("        baseurl: \"")
          .append(cdn)
          .append("\"\n");
    }
    return yaml.toString();
  }

  /** The registry's base URL, {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The TCP port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The storage root ({@code docker/registry/v2/...} lives below it). */
  public Path storageDir() {
    return storage;
  }

  /** The registry's own log (one line per request). */
  public Path logFile() {
    return dir.resolve("registry.log");
  }

  /** The URL of a model's manifest: {@code <base>/v2/<namespace>/<model>/manifests/<tag>}. */
  public String manifestUrl(ModelName name) {
    return baseUrl() + "/v2/" + name.repository() + "/manifests/" + name.tag();
  }

  /** The URL of a blob in a model's repository: {@code <base>/v2/<ns>/<model>/blobs/<digest>}. */
  public String blobUrl(ModelName name, Digest digest) {
    return baseUrl() + "/v2/" + name.repository() + "/blobs/" + digest;
  }

  /** The path of a blob's data file inside {@link #storageDir()}. */
  public Path blobFile(Digest digest) {
    return blobFile(storage, digest);
  }

  /** The path of a blob's data file inside a registry storage directory. */
  public static Path blobFile(Path storage, Digest digest) {
    return storage
        .resolve(
            "docker/registry/v2/blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex())
        .resolve("data");
  }

  /**
   * Uploads every blob of the model that the repository lacks (streamed, so size costs no memory)
   * and then the manifest bytes exactly; returns the manifest digest.
   */
  public Digest push(SyntheticModel model) throws IOException {
    return push(model, model.name().repository(), model.name().tag());
  }

  /** Pushes the model as {@code repository:tag} instead of under its own name. */
  public Digest push(SyntheticModel model, String repository, String tag) throws IOException {
    for (Map.Entry<Digest, SyntheticBlob> blob : model.blobs().entrySet()) {
      pushBlob(repository, blob.getValue());
    }
    return pushManifest(repository, tag, model.manifestBytes());
  }

  /** Uploads one blob into {@code repository} unless a HEAD finds it already there. */
  public void pushBlob(String repository, SyntheticBlob blob) throws IOException {
    String blobUrl = baseUrl() + "/v2/" + repository + "/blobs/" + blob.digest();
    HttpResponse<String> head =
        send(HttpRequest.newBuilder(URI.create(blobUrl)).method("HEAD", noBody()));
    if (head.statusCode() == 200) {
      return;
    }
    HttpResponse<String> start =
        send(
            HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/" + repository + "/blobs/uploads/"))
                .POST(noBody()));
    expect(start, 202, "start blob upload to " + repository);
    String location =
        start
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new IOException("blob upload answered 202 without Location"));
    URI upload = URI.create(baseUrl() + "/").resolve(location);
    String put =
        upload
            + (upload.getRawQuery() == null ? "?" : "&")
            + "digest="
            + URLEncoder.encode(blob.digest().toString(), StandardCharsets.UTF_8);
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(blob::open), blob.size());
    HttpResponse<String> done =
        send(
            HttpRequest.newBuilder(URI.create(put))
                .header("Content-Type", "application/octet-stream")
                .PUT(body));
    expect(done, 201, "upload blob " + blob.digest() + " to " + repository);
  }

  /**
   * Stores {@code manifest} byte for byte under {@code repository:reference}; returns its digest.
   */
  public Digest pushManifest(String repository, String reference, byte[] manifest)
      throws IOException {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    URI.create(baseUrl() + "/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", MANIFEST_V2)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
    expect(response, 201, "put manifest " + repository + ":" + reference);
    return SyntheticBlob.of(manifest).digest();
  }

  private static HttpRequest.BodyPublisher noBody() {
    return HttpRequest.BodyPublishers.noBody();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return HTTP.send(
          request.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while talking to " + baseUrl());
    }
  }

  private void expect(HttpResponse<String> response, int status, String what) throws IOException {
    if (response.statusCode() != status) {
      throw new IOException(
          "registry "
              + baseUrl()
              + " could not "
              + what
              + ": expected HTTP "
              + status
              + ", got "
              + response.statusCode()
              + " "
              + response.body()
              + " (log "
              + logFile()
              + ")");
    }
  }

  /** Stops the registry (SIGTERM, then SIGKILL after 5 s); the storage stays for inspection. */
  @Override
  public void close() {
    process.close();
  }
}
