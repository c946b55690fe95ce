package org.ollamaairgap.stager.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * A fake Ollama server for tests (Ollama cannot be installed here). It speaks {@code GET /} and
 * {@code POST /api/pull} as reference §4 describes Ollama at v0.32: it binds its port at once but
 * answers HTTP only after a start-up delay; it streams {@code pulling manifest}, then per blob
 * {@code pulling <hex12>} lines every 60 ms with {@code completed} omitted while 0 and no final
 * 100% line, one {@code completed == total} line for a blob already in the store (a cache hit, by
 * existence only, never hashed), then a silent {@code verifying sha256 digest}, {@code writing
 * manifest} and {@code success}; tensor models get the aggregate {@code pulling model} shape with
 * the fake digest {@code sha256:model}; errors arrive inside the 200 stream. It writes real blobs
 * ({@code -partial} first, renamed when complete) and the registry's manifest bytes into the store,
 * reusing an existing manifest's spelling as Ollama's {@code getExistingName} does.
 *
 * <p>What each pull does is scripted per model with {@link Plan}s, one per attempt.
 */
final class FakeOllamaServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one {@code /api/pull} of a model does. */
  enum Kind {
    /** Pull as Ollama does. */
    NORMAL,
    /** Answer with {@code status} and a JSON error body before streaming. */
    STATUS,
    /** Send {@code message} as an in-stream error line after {@code afterLines} lines. */
    ERROR,
    /** Drop the connection, with no final chunk, after {@code afterLines} lines. */
    DROP,
    /**
     * Keep repeating the same progress line after {@code afterLines} lines, as a stalled download.
     */
    STALL,
    /** Download the first blob with one wrong byte, so verifying fails with a digest mismatch. */
    CORRUPT_DOWNLOAD,
    /**
     * Run the server's die action (the child-process fake exits) after {@code afterLines} lines.
     */
    DIE
  }

  /**
   * One scripted attempt.
   *
   * @param kind what happens
   * @param status the HTTP status for {@link Kind#STATUS}
   * @param message the error text for {@link Kind#STATUS} and {@link Kind#ERROR}
   * @param afterLines how many lines go out before the failure
   * @param backwards let {@code completed} of the first downloaded blob go back once (a part
   *     retried from scratch)
   * @param verifySilence how long the verify phase stays silent
   * @param removeUnused also send {@code removing unused layers}
   */
  record Plan(
      Kind kind,
      int status,
      String message,
      int afterLines,
      boolean backwards,
      Duration verifySilence,
      boolean removeUnused) {

    static Plan normal() {
      return new Plan(Kind.NORMAL, 200, "", 0, false, Duration.ZERO, false);
    }

    static Plan status(int status, String message) {
      return new Plan(Kind.STATUS, status, message, 0, false, Duration.ZERO, false);
    }

    static Plan error(String message, int afterLines) {
      return new Plan(Kind.ERROR, 200, message, afterLines, false, Duration.ZERO, false);
    }

    static Plan fail(Kind kind, int afterLines) {
      return new Plan(kind, 200, "", afterLines, false, Duration.ZERO, false);
    }

    Plan withBackwards() {
      return new Plan(kind, status, message, afterLines, true, verifySilence, removeUnused);
    }

    Plan withVerifySilence(Duration silence) {
      return new Plan(kind, status, message, afterLines, backwards, silence, removeUnused);
    }

    Plan withRemoveUnused() {
      return new Plan(kind, status, message, afterLines, backwards, verifySilence, true);
    }
  }

  /** Ends a stream cleanly after a planned error line. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop() {
      super("planned error sent", null, false, false);
    }
  }

  /** Thrown inside a handler to make the server close the connection without a final chunk. */
  private static final class Drop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Drop() {
      super("planned connection drop", null, false, false);
    }
  }

  private final HttpServer http;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final StoreLayout store;
  private final Map<String, SyntheticModel> models = new HashMap<>();
  private final Map<String, Boolean> tensor = new HashMap<>();
  private final Map<String, Deque<Plan>> plans = new HashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger disconnects = new AtomicInteger();
  private volatile Duration tick = Duration.ofMillis(60);
  private volatile int linesPerBlob = 4;
  private volatile Runnable dieAction = () -> {};

  private FakeOllamaServer(HttpServer http, Path storeRoot) {
    this.http = http;
    this.store = new StoreLayout(storeRoot);
    http.setExecutor(executor);
    http.createContext("/", this::handle);
  }

  /** Binds a free loopback port now; HTTP is answered only after {@code readyAfter}. */
  static FakeOllamaServer start(Path storeRoot, Duration readyAfter) throws IOException {
    return start(storeRoot, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), readyAfter);
  }

  static FakeOllamaServer start(Path storeRoot, InetSocketAddress address, Duration readyAfter)
      throws IOException {
    FakeOllamaServer fake = new FakeOllamaServer(HttpServer.create(address, 50), storeRoot);
    if (readyAfter.isZero()) {
      fake.http.start();
    } else {
      // Like Ollama: the port is bound (connections queue in the backlog) while start-up work runs.
      Thread starter =
          new Thread(
              () -> {
                try {
                  Thread.sleep(readyAfter.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                fake.http.start();
              },
              "fake-ollama-startup");
      starter.setDaemon(true);
      starter.start();
    }
    return fake;
  }

  URI uri() {
    InetSocketAddress address = http.getAddress();
    return URI.create("http://127.0.0.1:" + address.getPort());
  }

  int port() {
    return http.getAddress().getPort();
  }

  /** The registry knows this model. */
  FakeOllamaServer add(SyntheticModel model) {
    synchronized (models) {
      models.put(key(model.name()), model);
    }
    return this;
  }

  /** The registry knows this model as a tensor (safetensors) model: aggregate progress lines. */
  FakeOllamaServer addTensor(SyntheticModel model) {
    add(model);
    synchronized (models) {
      tensor.put(key(model.name()), true);
    }
    return this;
  }

  /**
   * Scripts the next pulls of {@code name}, one plan per attempt; after the last, pulls are normal.
   */
  FakeOllamaServer plan(String name, Plan... attempts) {
    synchronized (models) {
      plans.computeIfAbsent(key(parse(name)), k -> new ArrayDeque<>()).addAll(List.of(attempts));
    }
    return this;
  }

  FakeOllamaServer tick(Duration tick) {
    this.tick = tick;
    return this;
  }

  FakeOllamaServer linesPerBlob(int lines) {
    this.linesPerBlob = lines;
    return this;
  }

  FakeOllamaServer onDie(Runnable action) {
    this.dieAction = action;
    return this;
  }

  /** The bodies of every {@code /api/pull} request, in order. */
  List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** How many streams the client closed while the fake was still sending. */
  int disconnects() {
    return disconnects.get();
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    // Not try-with-resources: closing the exchange would send the final chunk, and a planned drop
    // must leave the stream cut. HttpServer closes the socket when a handler throws.
    try {
      serve(exchange);
    } catch (Drop e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      exchange.close();
      throw e;
    }
    exchange.close();
  }

  private void serve(HttpExchange exchange) throws IOException {
    {
      if (!hostAllowed(exchange.getRequestHeaders().getFirst("Host"))) {
        send(exchange, 403, "text/plain", "");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/") && (method.equals("GET") || method.equals("HEAD"))) {
        send(exchange, 200, "text/plain; charset=utf-8", OllamaClient.READY_TEXT);
      } else if (path.equals("/api/pull") && method.equals("POST")) {
        pull(exchange);
      } else {
        send(exchange, 404, "text/plain", "404 page not found");
      }
    }
  }

  /** Ollama's allowedHostsMiddleware when bound to loopback: only local names pass. */
  private static boolean hostAllowed(String host) {
    if (host == null) {
      return false;
    }
    String name = host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
    return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
  }

  private void pull(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(body);
    JsonNode request = JSON.readTree(body);
    String name = request.path("model").asText(request.path("name").asText(""));
    ModelName parsed = parseOrNull(name);
    if (parsed == null) {
      send(exchange, 400, "application/json", "{\"error\":\"invalid model name\"}");
      return;
    }
    SyntheticModel model;
    Plan plan;
    boolean isTensor;
    synchronized (models) {
      model = models.get(key(parsed));
      isTensor = tensor.containsKey(key(parsed));
      Deque<Plan> queue = plans.get(key(parsed));
      plan = queue == null || queue.isEmpty() ? Plan.normal() : queue.removeFirst();
    }
    if (plan.kind() == Kind.STATUS) {
      send(exchange, plan.status(), "application/json", errorJson(plan.message()));
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    exchange.sendResponseHeaders(200, 0);
    Stream stream = new Stream(exchange.getResponseBody(), plan);
    try {
      stream.line(status("pulling manifest"));
      if (model == null) {
        stream.error("pull model manifest: file does not exist");
        return;
      }
      if (isTensor) {
        pullTensor(model, stream);
      } else {
        pullGguf(model, stream, plan);
      }
    } catch (Stop e) {
      // the error line was the last line
    } catch (IOException e) {
      disconnects.incrementAndGet(); // the client went away: Ollama cancels the pull
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pullGguf(SyntheticModel model, Stream stream, Plan plan)
      throws IOException, InterruptedException {
    Map<Digest, SyntheticBlob> blobs = new java.util.LinkedHashMap<>();
    for (SyntheticModel.Layer layer : model.layers()) {
      blobs.putIfAbsent(layer.blob().digest(), layer.blob());
    }
    blobs.putIfAbsent(model.config().digest(), model.config()); // layers first, then the config
    List<Digest> downloaded = new ArrayList<>();
    boolean backwards = plan.backwards();
    boolean corrupt = plan.kind() == Kind.CORRUPT_DOWNLOAD;
    Files.createDirectories(store.blobsDir());
    for (Map.Entry<Digest, SyntheticBlob> e : blobs.entrySet()) {
      Digest digest = e.getKey();
      SyntheticBlob blob = e.getValue();
      Path target = store.blob(digest);
      if (Files.exists(target)) {
        long size = Files.size(target);
        stream.line(progress(digest, size, size));
        continue;
      }
      Path partial = target.resolveSibling(target.getFileName() + "-partial");
      long completed = Files.exists(partial) ? Files.size(partial) : 0;
      long step = Math.max(1, (blob.size() + linesPerBlob - 1) / linesPerBlob);
      stream.line(progress(digest, blob.size(), completed));
      while (completed < blob.size()) {
        long next = Math.min(blob.size(), completed + step);
        append(partial, blob, completed, next, corrupt && completed == 0);
        completed = next;
        if (backwards && completed > step && completed < blob.size()) {
          // A part failed and is fetched again from its start: completed goes down once.
          long back = completed - step;
          truncate(partial, back);
          stream.line(progress(digest, blob.size(), completed));
          completed = back;
          backwards = false;
        }
        if (completed < blob.size()) {
          stream.line(progress(digest, blob.size(), completed)); // no final 100% line
        }
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      downloaded.add(digest);
      corrupt = false;
    }
    stream.line(status("verifying sha256 digest"));
    Thread.sleep(plan.verifySilence().toMillis());
    for (Digest digest : downloaded) {
      Digest actual = Sha256.file(store.blob(digest), n -> {}).digest();
      if (!actual.equals(digest)) {
        Files.delete(store.blob(digest));
        stream.error(
            "digest mismatch, file must be downloaded again: want " + digest + ", got " + actual);
        return;
      }
    }
    finish(model, stream, plan);
  }

  private void pullTensor(SyntheticModel model, Stream stream)
      throws IOException, InterruptedException {
    long total = 0;
    for (SyntheticBlob blob : model.blobs().values()) {
      total += blob.size();
    }
    long completed = 0;
    Files.createDirectories(store.blobsDir());
    stream.line(aggregate(total, 0));
    for (Map.Entry<Digest, SyntheticBlob> e : model.blobs().entrySet()) {
      Path target = store.blob(e.getKey());
      if (!Files.exists(target) || Files.size(target) != e.getValue().size()) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        e.getValue().writeTo(tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      completed += e.getValue().size();
      stream.line(aggregate(total, completed));
    }
    finish(model, stream, stream.plan);
  }

  private void finish(SyntheticModel model, Stream stream, Plan plan)
      throws IOException, InterruptedException {
    stream.line(status("writing manifest"));
    Path manifest = existingSpelling(model.name());
    Files.createDirectories(manifest.getParent());
    Files.write(manifest, model.manifestBytes());
    if (plan.removeUnused()) {
      stream.line(status("removing unused layers"));
    }
    stream.line(status("success"));
  }

  /**
   * Where Ollama writes a pulled manifest. {@code /api/pull} re-parses the name's {@code
   * DisplayShortest()}, so the default host, and under it the default namespace, come back in lower
   * case; then {@code getExistingName} gives each part, on its own, the spelling of any manifest
   * listed at {@code manifests/*&#47;*&#47;*&#47;*} whose same part matches case-insensitively: the
   * last in Go's random map order, here the last in sorted order.
   */
  private Path existingSpelling(ModelName name) throws IOException {
    String[] parts = {name.host(), name.namespace(), name.model(), name.tag()};
    if (parts[0].equalsIgnoreCase(ModelName.DEFAULT_HOST)) {
      parts[0] = ModelName.DEFAULT_HOST;
      if (parts[1].equalsIgnoreCase(ModelName.DEFAULT_NAMESPACE)) {
        parts[1] = ModelName.DEFAULT_NAMESPACE;
      }
    }
    for (ModelName existing : listed()) {
      String[] spelled = {existing.host(), existing.namespace(), existing.model(), existing.tag()};
      for (int i = 0; i < parts.length; i++) {
        if (spelled[i].equalsIgnoreCase(parts[i])) {
          parts[i] = spelled[i];
        }
      }
    }
    return store
        .manifestsDir()
        .resolve(parts[0])
        .resolve(parts[1])
        .resolve(parts[2])
        .resolve(parts[3]);
  }

  /**
   * Ollama's manifest.Manifests: the regular files at manifests/*&#47;*&#47;*&#47;* with valid
   * names.
   */
  private List<ModelName> listed() throws IOException {
    List<ModelName> names = new ArrayList<>();
    Path base = store.manifestsDir();
    if (!Files.isDirectory(base)) {
      return names;
    }
    try (var files = Files.find(base, 4, (p, a) -> base.relativize(p).getNameCount() == 4)) {
      for (Path file : files.sorted().toList()) {
        if (Files.isRegularFile(file)) {
          try {
            names.add(ModelName.fromManifestPath(base.relativize(file)));
          } catch (StoreException e) {
            // skipped with a warning, as Ollama does
          }
        }
      }
    }
    return names;
  }

  /** The lines of one response, with the plan's failure injected after its line count. */
  private final class Stream {
    private final OutputStream out;
    private final Plan plan;
    private int sent;

    Stream(OutputStream out, Plan plan) {
      this.out = out;
      this.plan = plan;
    }

    void line(String json) throws IOException, InterruptedException {
      if (sent >= plan.afterLines()) {
        switch (plan.kind()) {
          case ERROR -> {
            error(plan.message());
            throw new Stop();
          }
          case DROP -> {
            out.flush();
            throw new Drop();
          }
          case STALL -> {
            // Ollama keeps sending the same numbers every 60 ms while no byte moves.
            String same = json;
            while (true) {
              write(same);
              Thread.sleep(tick.toMillis());
            }
          }
          case DIE -> dieAction.run();
          default -> {}
        }
      }
      if (json.contains("\"digest\"") && sent > 0) {
        Thread.sleep(tick.toMillis());
      }
      write(json);
    }

    void error(String message) throws IOException {
      write(errorJson(message));
    }

    private void write(String json) throws IOException {
      out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      sent++;
    }
  }

  private static String status(String status) {
    ObjectNode node = JSON.createObjectNode();
    node.put("status", status);
    return node.toString();
  }

  private static String progress(Digest digest, long total, long completed) {
    ObjectNode node = JSON.createObjectNode();
    node.put("status", "pulling " + digest.shortHex());
    node.put("digest", digest.toString());
    if (total != 0) {
      node.put("total", total);
    }
    if (completed != 0) {
      node.put("completed", completed); // Go's omitempty: absent while 0
    }
    return node.toString();
  }

  private static String aggregate(long total, long completed) {
    ObjectNode node = JSON.createObjectNode();
    node.put("status", "pulling model");
    node.put("digest", PullProgress.AGGREGATE_DIGEST);
    node.put("total", total);
    if (completed != 0) {
      node.put("completed", completed);
    }
    return node.toString();
  }

  private static String errorJson(String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("error", message);
    return node.toString();
  }

  private static void append(Path partial, SyntheticBlob blob, long from, long to, boolean corrupt)
      throws IOException {
    byte[] chunk = new byte[(int) (to - from)];
    try (InputStream in = blob.open()) {
      in.skipNBytes(from);
      in.readNBytes(chunk, 0, chunk.length);
    }
    if (corrupt) {
      chunk[0] ^= 0x01;
    }
    Files.write(partial, chunk, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static void truncate(Path file, long size) throws IOException {
    try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  private static String key(ModelName name) {
    return name.key();
  }

  private static ModelName parse(String name) {
    try {
      return ModelName.parse(name);
    } catch (StoreException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ModelName parseOrNull(String name) {
    try {
      return ModelName.parse(name);
    } catch (StoreException e) {
      return null;
    }
  }
}
