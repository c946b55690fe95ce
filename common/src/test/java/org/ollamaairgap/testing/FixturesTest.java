package org.ollamaairgap.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;

/** Proves the registry, CDN and fault fixtures behave as their Javadoc says, over real HTTP. */
class FixturesTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final SyntheticModel MODEL = SyntheticModel.typical("fixture", 7, 100_000);
  private static final SyntheticBlob WEIGHTS = MODEL.layers().get(0).blob();

  @RegisterExtension final Fixtures fixtures = new Fixtures();

  @Test
  void push_thenManifestGet_returnsTheSameBytesAndDigest() throws Exception {
    LocalRegistry registry = fixtures.registry();

    Digest digest = registry.push(MODEL);

    HttpResponse<byte[]> response = get(registry.manifestUrl(MODEL.name()), manifestAccept());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(MODEL.manifestBytes());
    assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
    assertThat(digest).isEqualTo(MODEL.manifest().digest());
    assertThat(registry.blobFile(WEIGHTS.digest())).hasSize(WEIGHTS.size());
  }

  @Test
  void pushUnderAnotherName_servesTheManifestThere() throws Exception {
    LocalRegistry registry = fixtures.registry();

    registry.push(MODEL, "someone/renamed", "v1");

    HttpResponse<byte[]> response =
        get(registry.baseUrl() + "/v2/someone/renamed/manifests/v1", manifestAccept());
    assertThat(response.body()).isEqualTo(MODEL.manifestBytes());
  }

  @Test
  void push_twice_uploadsNoBlobTheSecondTime() throws Exception {
    LocalRegistry registry = fixtures.registry();
    registry.push(MODEL);
    long uploadsBefore = countLogLines(registry, "\"POST /v2/");

    registry.push(MODEL);

    assertThat(uploadsBefore).isEqualTo(MODEL.blobs().size());
    assertThat(countLogLines(registry, "\"POST /v2/")).isEqualTo(uploadsBefore);
  }

  @Test
  void blobGet_withRange_returnsExactlyThoseBytes() throws Exception {
    LocalRegistry registry = fixtures.registry();
    registry.push(MODEL);
    String url = registry.blobUrl(MODEL.name(), WEIGHTS.digest());

    HttpResponse<byte[]> middle = get(url, "Range", "bytes=1000-1999");
    HttpResponse<byte[]> tail = get(url, "Range", "bytes=99000-");

    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.body()).isEqualTo(slice(WEIGHTS, 1000, 1000));
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(slice(WEIGHTS, 99_000, 1000));
  }

  @Test
  void redirectingRegistry_answers307ToTheCdn_whichServesTheBlobWithRange() throws Exception {
    RegistryWithCdn setup = fixtures.registryWithCdn();
    setup.push(MODEL);
    ModelName name = MODEL.name();
    String blobPath = "/v2/" + name.repository() + "/blobs/" + WEIGHTS.digest();
    String expectedLocation =
        setup.cdn().cdnBaseUrl()
            + "/docker/registry/v2/blobs/sha256/"
            + WEIGHTS.digest().hex().substring(0, 2)
            + "/"
            + WEIGHTS.digest().hex()
            + "/data";

    HttpResponse<byte[]> manifest =
        get(
            setup.registryUrl() + "/v2/" + name.repository() + "/manifests/latest",
            manifestAccept());
    HttpResponse<byte[]> redirect = get(setup.registryUrl() + blobPath);
    String location = redirect.headers().firstValue("Location").orElseThrow();
    HttpResponse<byte[]> fromCdn = get(location, "Range", "bytes=50000-");

    assertThat(manifest.body()).isEqualTo(MODEL.manifestBytes());
    assertThat(redirect.statusCode()).isEqualTo(307);
    assertThat(location).isEqualTo(expectedLocation);
    assertThat(fromCdn.statusCode()).isEqualTo(206);
    assertThat(fromCdn.body()).isEqualTo(slice(WEIGHTS, 50_000, 50_000));
    assertThat(setup.cdn().bodyBytesSent("/docker/registry/v2/blobs/")).isEqualTo(50_000);
  }

  @Test
  void unavailableTwice_answers503WithRetryAfterPerPath_thenTheManifest() throws Exception {
    LocalRegistry registry = fixtures.registry();
    registry.push(MODEL);
    Nginx proxy =
        fixtures.nginx(b -> b.proxy(registry).fault("/v2/", Fault.unavailable(3).times(2)));
    String manifest = proxy.baseUrl() + "/v2/" + MODEL.name().repository() + "/manifests/latest";

    HttpResponse<byte[]> first = get(manifest, manifestAccept());
    HttpResponse<byte[]> otherPath = get(manifest.replace("latest", "other"), manifestAccept());
    HttpResponse<byte[]> second = get(manifest, manifestAccept());
    HttpResponse<byte[]> third = get(manifest, manifestAccept());

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(first.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("injected fault 503\n");
    assertThat(otherPath.statusCode()).isEqualTo(503);
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(third.body()).isEqualTo(MODEL.manifestBytes());
  }

  @Test
  void statusFault_answersThatStatusEveryTime() throws Exception {
    LocalRegistry registry = fixtures.registry();
    registry.push(MODEL);
    Nginx proxy = fixtures.nginx(b -> b.proxy(registry).fault("/v2/", Fault.status(500)));
    String url =
        proxy.baseUrl()
            + registry
                .blobUrl(MODEL.name(), WEIGHTS.digest())
                .substring(registry.baseUrl().length());

    assertThat(get(url).statusCode()).isEqualTo(500);
    assertThat(get(url).statusCode()).isEqualTo(500);
  }

  @Test
  void drop_closesTheConnectionWithoutAnswer() throws Exception {
    LocalRegistry registry = fixtures.registry();
    Nginx proxy = fixtures.nginx(b -> b.proxy(registry).fault("/v2/", Fault.drop()));

    assertThatThrownBy(() -> get(proxy.baseUrl() + "/v2/")).isInstanceOf(IOException.class);
    assertThat(proxy.requests("/v2/"))
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(444);
              assertThat(r.bytesSent()).isZero();
            });
  }

  @Test
  void truncateOnce_cutsTheBodyAfterNBytes_andARangeResumeGetsTheRest() throws Exception {
    RegistryWithCdn setup =
        fixtures.registryWithCdn(b -> b.fault("/docker/", Fault.truncateAfter(30_000).times(1)));
    setup.push(MODEL);
    String location =
        get(setup.registryUrl() + "/v2/" + MODEL.name().repository() + "/blobs/" + WEIGHTS.digest())
            .headers()
            .firstValue("Location")
            .orElseThrow();

    RawResponse cut = rawGet(location);
    HttpResponse<byte[]> rest = get(location, "Range", "bytes=30000-");

    assertThat(cut.head()).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 100000\r\n");
    assertThat(cut.body()).isEqualTo(slice(WEIGHTS, 0, 30_000));
    assertThat(rest.statusCode()).isEqualTo(206);
    assertThat(rest.body()).isEqualTo(slice(WEIGHTS, 30_000, 70_000));
    assertThat(setup.cdn().bodyBytesSent("/docker/")).isEqualTo(100_000);
    assertThat(setup.cdn().requests("/docker/"))
        .extracting(Nginx.Request::range)
        .containsExactly("", "bytes=30000-");
  }

  @Test
  void truncateInFrontOfTheRegistry_honoursRange() throws Exception {
    LocalRegistry registry = fixtures.registry();
    registry.push(MODEL);
    Nginx proxy = fixtures.nginx(b -> b.proxy(registry).fault("/v2/", Fault.truncateAfter(1000)));
    String url =
        proxy.baseUrl() + "/v2/" + MODEL.name().repository() + "/blobs/" + WEIGHTS.digest();

    RawResponse cut = rawGet(url, "Range: bytes=5000-");

    assertThat(cut.head())
        .startsWith("HTTP/1.1 206 Partial Content\r\n")
        .contains("Content-Range: bytes 5000-99999/100000\r\n")
        .contains("Content-Length: 95000\r\n");
    assertThat(cut.body()).isEqualTo(slice(WEIGHTS, 5000, 1000));
  }

  @Test
  void corrupt_servesTheRightLengthWithTheFirstByteFlipped() throws Exception {
    RegistryWithCdn setup = fixtures.registryWithCdn(b -> b.fault("/docker/", Fault.corrupt()));
    setup.push(MODEL);
    String location =
        get(setup.registryUrl() + "/v2/" + MODEL.name().repository() + "/blobs/" + WEIGHTS.digest())
            .headers()
            .firstValue("Location")
            .orElseThrow();

    byte[] body = get(location).body();

    byte[] expected = slice(WEIGHTS, 0, 100_000);
    assertThat(body).hasSize(expected.length);
    assertThat(body[0]).isEqualTo((byte) (expected[0] ^ 0xff));
    assertThat(Arrays.copyOfRange(body, 1, body.length))
        .isEqualTo(Arrays.copyOfRange(expected, 1, expected.length));
  }

  @Test
  void rejectAuthorization_answers400OnlyWhenTheHeaderIsSent() throws Exception {
    RegistryWithCdn setup =
        fixtures.registryWithCdn(b -> b.fault("/docker/", Fault.rejectAuthorization()));
    setup.push(MODEL);
    String location =
        get(setup.registryUrl() + "/v2/" + MODEL.name().repository() + "/blobs/" + WEIGHTS.digest())
            .headers()
            .firstValue("Location")
            .orElseThrow();

    HttpResponse<byte[]> withAuth = get(location, "Authorization", "Bearer secret");
    HttpResponse<byte[]> without = get(location);

    assertThat(withAuth.statusCode()).isEqualTo(400);
    assertThat(without.statusCode()).isEqualTo(200);
    assertThat(without.body()).isEqualTo(slice(WEIGHTS, 0, 100_000));
  }

  @Test
  void slow_isStillSendingAfterTheClientReadTheFirstBytes() throws Exception {
    // No timing threshold: at 8 kB/s nginx cannot have finished 20 kB when the first bytes
    // arrive, so its stub_status must still count our request as writing.
    LocalRegistry registry = fixtures.registry();
    registry.push(MODEL);
    Nginx cdn =
        fixtures.nginx(b -> b.cdn(registry.storageDir()).fault("/docker/", Fault.slow(8_000)));
    String url =
        cdn.baseUrl() + "/" + registry.storageDir().relativize(registry.blobFile(WEIGHTS.digest()));

    HttpResponse<InputStream> response =
        HTTP.send(request(url, "Range", "bytes=0-19999").build(), ofInputStream());
    byte[] body;
    String statusWhileReading;
    try (InputStream in = response.body()) {
      byte[] first = in.readNBytes(1000);
      statusWhileReading = cdn.stubStatus();
      byte[] rest = in.readAllBytes();
      body = concat(first, rest);
    }

    assertThat(statusWhileReading).contains("Writing: 2 ");
    assertThat(body).isEqualTo(slice(WEIGHTS, 0, 20_000));
    assertThat(cdn.bodyBytesSent("/docker/")).isEqualTo(20_000);
  }

  @Test
  void close_stopsTheServers() throws Exception {
    LocalRegistry registry = fixtures.registry();
    Nginx cdn = fixtures.nginx(b -> b.cdn(registry.storageDir()));

    registry.close();
    cdn.close();

    assertThatThrownBy(() -> get(registry.baseUrl() + "/v2/")).isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> get(cdn.baseUrl() + "/")).isInstanceOf(ConnectException.class);
  }

  @Test
  void missingBinary_namesTheAptPackages() {
    assertThatThrownBy(() -> FixtureProcess.require(Path.of("/nonexistent/nginx"), "nginx"))
        .hasMessage(
            "nginx is not installed (/nonexistent/nginx is missing): run apt-get install -y"
                + " --no-install-recommends docker-registry nginx libnginx-mod-http-perl (the"
                + " repository's .ci/run does this)");
  }

  private static String[] manifestAccept() {
    return new String[] {"Accept", LocalRegistry.MANIFEST_V2};
  }

  private static HttpRequest.Builder request(String url, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  private static HttpResponse<byte[]> get(String url, String... headers) throws Exception {
    return HTTP.send(request(url, headers).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse.BodyHandler<InputStream> ofInputStream() {
    return HttpResponse.BodyHandlers.ofInputStream();
  }

  /** A response read off the socket: the header block (with CRLFs) and the body bytes. */
  private static final class RawResponse {
    private final String head;
    private final byte[] body;

    RawResponse(String head, byte[] body) {
      this.head = head;
      this.body = body;
    }

    String head() {
      return head;
    }

    byte[] body() {
      return body;
    }
  }

  /**
   * A GET over a plain socket that returns everything the server sent before closing, because
   * java.net.http may drop already-received bytes when it reports a truncated body.
   */
  private static RawResponse rawGet(String url, String... headerLines) throws IOException {
    URI uri = URI.create(url);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      StringBuilder request = new StringBuilder();
      request.append("GET ").append(uri.getRawPath()).append(" HTTP/1.1\r\n");
      request.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort());
      request.append("\r\nConnection: close\r\n");
      for (String line : headerLines) {
        request.append(line).append("\r\n");
      }
      socket.getOutputStream().write(request.append("\r\n").toString().getBytes(US_ASCII));
      byte[] all = socket.getInputStream().readAllBytes();
      String text = new String(all, ISO_8859_1);
      int end = text.indexOf("\r\n\r\n") + 4;
      return new RawResponse(text.substring(0, end), Arrays.copyOfRange(all, end, all.length));
    }
  }

  private static byte[] slice(SyntheticBlob blob, int offset, int length) throws IOException {
    try (InputStream in = blob.open()) {
      in.skipNBytes(offset);
      return in.readNBytes(length);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static long countLogLines(LocalRegistry registry, String needle) throws IOException {
    return Files.readAllLines(registry.logFile()).stream().filter(l -> l.contains(needle)).count();
  }
}
