package org.ollamaairgap.stager.ollama;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lines of a streamed HTTP body, handed from the HTTP client's threads to the one thread that
 * reads them with a deadline. Reading with a deadline is what lets the driver notice a stall and
 * cancel the exchange, which closes the connection and so cancels Ollama's pull.
 */
final class LineQueue implements Flow.Subscriber<String> {
  private static final Object END = new Object();

  private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (cancelled) {
      s.cancel();
      return;
    }
    // Ollama sends a line every 60 ms at most and each is ~150 bytes: no back-pressure needed.
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(String line) {
    items.add(line);
  }

  @Override
  public void onError(Throwable error) {
    items.add(error);
  }

  @Override
  public void onComplete() {
    items.add(END);
  }

  /**
   * The next line, or null when the body ended cleanly.
   *
   * @throws TimeoutException when no line arrived within {@code timeoutNanos}
   * @throws IOException when the connection broke
   */
  String next(long timeoutNanos) throws IOException, TimeoutException, InterruptedException {
    Object item = items.poll(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    if (item == null) {
      throw new TimeoutException();
    }
    if (item == END) {
      items.add(END);
      return null;
    }
    if (item instanceof Throwable t) {
      items.add(t);
      if (t instanceof IOException io) {
        throw io;
      }
      throw new IOException(t.getMessage(), t);
    }
    return (String) item;
  }

  /** Stops the body: the HTTP client closes the connection, and Ollama cancels the pull. */
  void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
