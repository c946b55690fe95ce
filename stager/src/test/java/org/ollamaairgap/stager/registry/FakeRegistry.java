package org.ollamaairgap.stager.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * A fake registry on the JDK's HTTP server, for unit tests of the driver's protocol handling: it
 * serves pushed {@link SyntheticModel}s (manifests by tag, blobs with Range), records every
 * request, and lets a test decide per request how to misbehave. The real registry and nginx
 * fixtures cover the same paths against real parts.
 */
final class FakeRegistry implements AutoCloseable {
  /** One request as the server saw it. */
  record Request(String method, String path, String range, String authorization, long bytesSent) {}

  /** How to answer a request; null lets the registry answer normally. */
  interface Behaviour {
    Answer answer(HttpExchange exchange, int count) throws IOException;
  }

  /** What a behaviour decided. */
  enum Answer {
    NORMAL,
    HANDLED
  }

  private final HttpServer server;
  private final String host;
  private final String scheme;
  final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  final Map<Digest, SyntheticBlob> blobs = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  volatile Behaviour behaviour = (e, n) -> Answer.NORMAL;
  volatile boolean ignoreRange;

  /** When set, blob GETs answer 307 to this base URL + the same path. */
  volatile String redirectBlobsTo;

  /** When set, requests without "Bearer good-token" get a 401 challenge pointing here. */
  volatile String tokenRealm;

  /** What {@code /token} answers. */
  volatile String tokenBody = "{\"token\":\"good-token\"}";

  /** When set, any request carrying Authorization is refused with 400 (a CDN). */
  volatile boolean rejectAuthorization;

  /** Per-connection send rate of blob bodies in bytes per second; 0 for no limit. */
  volatile long throttle;

  /** Blob body bytes written so far, live (the recorded requests only appear when they end). */
  final AtomicLong blobBytesSent = new AtomicLong();

  FakeRegistry(String host) throws IOException {
    this(host, null);
  }

  /** With {@code tls}, an HTTPS registry using that context's key. */
  FakeRegistry(String host, SSLContext tls) throws IOException {
    this.host = host;
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(address, 64);
    } else {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    this.scheme = tls == null ? "http" : "https";
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  FakeRegistry() throws IOException {
    this("127.0.0.1");
  }

  /** host:port, as it goes into a model name. */
  String hostPort() {
    return host + ":" + server.getAddress().getPort();
  }

  String baseUrl() {
    return scheme + "://" + hostPort();
  }

  void push(SyntheticModel model) {
    manifests.put(model.name().repository() + ":" + model.name().tag(), model.manifestBytes());
    blobs.putAll(model.blobs());
  }

  /** Bytes of blob bodies sent for paths containing {@code part}. */
  long bytesSent(String part) {
    return requests.stream().filter(r -> r.path.contains(part)).mapToLong(Request::bytesSent).sum();
  }

  List<Request> requests(String part) {
    return requests.stream().filter(r -> r.path.contains(part)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String range = ex.getRequestHeaders().getFirst("Range");
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    long[] sent = {0};
    try (ex) {
      int n = (int) counts.computeIfAbsent(path, k -> new AtomicLong()).incrementAndGet();
      if (rejectAuthorization && auth != null) {
        send(ex, 400, "Authorization not allowed here");
        return;
      }
      if (tokenRealm != null && path.startsWith("/v2/") && !"Bearer good-token".equals(auth)) {
        ex.getResponseHeaders()
            .add(
                "WWW-Authenticate",
                "Bearer realm=\"" + tokenRealm + "\",service=\"fake\",scope=\"repository:x:pull\"");
        send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
        return;
      }
      if (path.equals("/token")) {
        send(ex, 200, tokenBody);
        return;
      }
      if (behaviour.answer(ex, n) == Answer.HANDLED) {
        return;
      }
      sent[0] = serve(ex, path, range);
    } finally {
      requests.add(new Request(ex.getRequestMethod(), path, range, auth, sent[0]));
    }
  }

  private long serve(HttpExchange ex, String path, String range) throws IOException {
    int m = path.indexOf("/manifests/");
    if (path.startsWith("/v2/") && m > 0) {
      byte[] body = manifests.get(path.substring(4, m) + ":" + path.substring(m + 11));
      if (body == null) {
        send(ex, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
        return 0;
      }
      ex.getResponseHeaders()
          .add("Content-Type", "application/vnd.docker.distribution.manifest.v2+json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      return body.length;
    }
    int b = path.indexOf("/blobs/");
    if (b < 0) {
      send(ex, 404, "not found");
      return 0;
    }
    if (redirectBlobsTo != null) {
      ex.getResponseHeaders().add("Location", redirectBlobsTo + path);
      ex.sendResponseHeaders(307, -1);
      return 0;
    }
    Digest digest;
    try {
      digest = Digest.parse(path.substring(b + 7));
    } catch (org.ollamaairgap.common.model.StoreException e) {
      send(ex, 400, "bad digest");
      return 0;
    }
    SyntheticBlob blob = blobs.get(digest);
    if (blob == null) {
      send(ex, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}");
      return 0;
    }
    long start = 0;
    long end = blob.size() - 1;
    int status = 200;
    if (range != null && !ignoreRange) {
      String[] se = range.substring("bytes=".length()).split("-", -1);
      start = Long.parseLong(se[0]);
      if (!se[1].isEmpty()) {
        end = Math.min(end, Long.parseLong(se[1]));
      }
      status = 206;
      ex.getResponseHeaders()
          .add("Content-Range", "bytes " + start + "-" + end + "/" + blob.size());
    }
    long length = end - start + 1;
    ex.sendResponseHeaders(status, length == 0 ? -1 : length);
    return copy(blob, start, length, ex.getResponseBody());
  }

  private long copy(SyntheticBlob blob, long start, long length, OutputStream out)
      throws IOException {
    long began = System.nanoTime();
    try (InputStream in = blob.open()) {
      in.skipNBytes(start);
      byte[] buf = new byte[64 * 1024];
      long done = 0;
      while (done < length) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, length - done));
        out.write(buf, 0, n);
        done += n;
        blobBytesSent.addAndGet(n);
        long rate = throttle;
        if (rate > 0) {
          long due = began + done * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            try {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException(e);
            }
          }
        }
      }
    }
    return length;
  }

  /** Streams {@code length} bytes of the blob from {@code start}, as fast as possible. */
  static long copyAll(SyntheticBlob blob, long start, long length, OutputStream out)
      throws IOException {
    try (InputStream in = blob.open()) {
      in.skipNBytes(start);
      byte[] buf = new byte[64 * 1024];
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        out.write(buf, 0, n);
        left -= n;
      }
    }
    return length;
  }

  static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
