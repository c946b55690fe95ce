package org.ollamaairgap.stager.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two calls the driver makes to Ollama's HTTP API: the readiness probe {@code GET /} and the
 * streamed {@code POST /api/pull}.
 *
 * <p>The {@code Host} header is the base URL's authority. Java's client does not let it be set
 * otherwise, and it needs no override: Ollama bound to loopback accepts {@code 127.0.0.1}, {@code
 * localhost} and private addresses, and a server bound to {@code 0.0.0.0} accepts any host.
 */
final class OllamaClient {
  static final String READY_TEXT = "Ollama is running";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;

  OllamaClient(URI base) {
    this.base = base;
    // No proxy selector on purpose: HTTPS_PROXY is meant for Ollama's registry traffic, never for
    // the loopback or sidecar connection to Ollama itself.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  URI base() {
    return base;
  }

  /** What one readiness probe saw. */
  record Probe(boolean ready, int status, String detail) {}

  /**
   * One {@code GET /}. Ready means 200 with "Ollama is running". A connect failure or a request
   * that gets no answer within {@code timeout} (the port is bound before Ollama serves HTTP) is
   * "not yet", with a detail for the final error message.
   */
  Probe probe(Duration timeout) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/")).timeout(timeout).GET().build();
    try {
      HttpResponse<String> response =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      String body = response.body().strip();
      boolean ready = response.statusCode() == 200 && body.startsWith(READY_TEXT);
      return new Probe(
          ready, response.statusCode(), "HTTP " + response.statusCode() + " " + clip(body));
    } catch (HttpTimeoutException e) {
      return new Probe(
          false, 0, "no HTTP answer within " + timeout.toMillis() + " ms (still starting?)");
    } catch (ConnectException e) {
      return new Probe(false, 0, "connection refused");
    } catch (IOException e) {
      return new Probe(false, 0, describe(e));
    }
  }

  /** A started {@code /api/pull} exchange: its status and the lines of its body. */
  record PullStream(int status, LineQueue lines) implements AutoCloseable {
    @Override
    public void close() {
      lines.cancel();
    }
  }

  /**
   * Starts {@code POST /api/pull} and waits up to {@code headerTimeout} for the response headers
   * (Ollama sends them with its first line, {@code pulling manifest}).
   */
  PullStream pull(String model, boolean insecure, Duration headerTimeout)
      throws IOException, TimeoutException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    body.put("insecure", insecure);
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/pull"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    LineQueue lines = new LineQueue();
    CompletableFuture<HttpResponse<Void>> future =
        http.sendAsync(
            request,
            info ->
                new Streaming(
                    HttpResponse.BodySubscribers.fromLineSubscriber(
                        lines, s -> null, StandardCharsets.UTF_8, null)));
    try {
      HttpResponse<Void> response = future.get(headerTimeout.toNanos(), TimeUnit.NANOSECONDS);
      return new PullStream(response.statusCode(), lines);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(cause), cause);
    } catch (TimeoutException | InterruptedException e) {
      future.cancel(true);
      lines.cancel();
      throw e;
    }
  }

  /**
   * Hands the response over as soon as the headers are there, like {@code ofInputStream}: the line
   * subscriber alone would complete the response only at the end of the body, hours later.
   */
  private record Streaming(HttpResponse.BodySubscriber<?> lines)
      implements HttpResponse.BodySubscriber<Void> {
    @Override
    public CompletionStage<Void> getBody() {
      return CompletableFuture.completedStage(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      lines.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      lines.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      lines.onError(throwable);
    }

    @Override
    public void onComplete() {
      lines.onComplete();
    }
  }

  /** The {@code error} field of a JSON error body, or the body itself. */
  static String errorText(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.hasNonNull("error")) {
        return node.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: the raw text is the best description
    }
    return clip(body.strip());
  }

  static String describe(Throwable e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** "300 ms" below a second, else whole seconds: "120 s". */
  static String human(Duration d) {
    return d.compareTo(Duration.ofSeconds(1)) < 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  static String clip(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
