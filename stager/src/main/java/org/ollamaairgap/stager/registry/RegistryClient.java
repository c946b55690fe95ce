package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.stager.driver.Retries;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * The registry protocol as Ollama uses it: {@code GET /v2/<ns>/<model>/manifests/<tag>} and blob
 * GETs, with Docker token auth (anonymous) for mirrors that need it. Tokens are never put into
 * messages.
 */
final class RegistryClient {
  private final RegistryOptions options;
  private final Transport transport;
  private final Backoff backoff;
  private final TokenServer tokenServer;

  /** "Bearer <token>" per base URL and repository. */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  RegistryClient(RegistryOptions options, Transport transport) {
    this.options = options;
    this.transport = transport;
    this.backoff = new Backoff(options.backoffBase(), options.backoffMax());
    this.tokenServer = new TokenServer(options, transport);
  }

  /** Where the model is fetched from: the mirror, or the host in its name. */
  URI base(ModelName name) {
    if (options.mirror() != null) {
      String m = options.mirror().toString();
      return URI.create(m.endsWith("/") ? m.substring(0, m.length() - 1) : m);
    }
    return URI.create((options.insecure() ? "http" : "https") + "://" + name.host());
  }

  URI manifestUrl(ModelName name) {
    return URI.create(base(name) + "/v2/" + name.repository() + "/manifests/" + name.tag());
  }

  URI blobUrl(ModelName name, Digest digest) {
    return URI.create(base(name) + "/v2/" + name.repository() + "/blobs/" + digest);
  }

  /** Fetches and parses the manifest, retrying transient failures. */
  Manifest manifest(ModelName name, PullListener listener) throws StageException {
    URI url = manifestUrl(name);
    for (int attempt = 1; ; attempt++) {
      try {
        return Manifest.parse(fetchManifest(name, url));
      } catch (TransientException e) {
        if (attempt > options.retries()) {
          throw new StageException(
              e.stall ? Reason.STALLED : Reason.TRANSFER_FAILED,
              "manifest of "
                  + name
                  + " from "
                  + Transport.redact(url)
                  + ": "
                  + e.getMessage()
                  + " (gave up after "
                  + attempt
                  + " attempts; check the registry, the network or --mirror)",
              e);
        }
        Duration wait = backoff.delay(attempt, e.retryAfter);
        listener.retry(
            name, Retries.note("manifest: " + e.getMessage(), attempt, options.retries(), wait));
        sleep(wait);
      } catch (org.ollamaairgap.common.model.StoreException e) {
        throw new StageException(
            Reason.MANIFEST_INVALID,
            "manifest of " + name + " from " + Transport.redact(url) + ": " + e.getMessage(),
            e);
      }
    }
  }

  private byte[] fetchManifest(ModelName name, URI url) throws StageException, TransientException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", Manifest.MEDIA_TYPE);
    headers.put("User-Agent", options.userAgent());
    try (Transport.Response r = authorized(name, url, headers)) {
      if (r.status == 200) {
        long length = r.contentLength();
        if (length > Manifest.MAX_BYTES) {
          r.abort();
          throw tooBig(name, url, length);
        }
        try (InputStream in = r.body()) {
          byte[] bytes = in.readNBytes(Manifest.MAX_BYTES + 1);
          if (bytes.length > Manifest.MAX_BYTES) {
            r.abort();
            throw tooBig(name, url, bytes.length);
          }
          if (length >= 0 && bytes.length != length) {
            throw new TransientException(
                "short body: " + bytes.length + " of " + length + " bytes", null);
          }
          return bytes;
        }
      }
      throw statusError(name, "manifest", r);
    } catch (SSLException e) {
      throw tlsError(url, e);
    } catch (IOException e) {
      throw transientOf(e);
    }
  }

  private static StageException tooBig(ModelName name, URI url, long size) {
    return new StageException(
        Reason.MANIFEST_INVALID,
        "manifest of "
            + name
            + " from "
            + Transport.redact(url)
            + " is "
            + size
            + " bytes or more, more than the "
            + Manifest.MAX_BYTES
            + " a manifest may have; the registry is not serving an Ollama manifest");
  }

  /**
   * GETs bytes {@code [start, end]} of a blob (the whole blob when {@code end < 0}). Returns an
   * answer with status 200 or 206; anything else becomes a {@link TransientException} (worth
   * another attempt) or a {@link StageException}.
   */
  Transport.Response blob(ModelName name, Digest digest, long start, long end)
      throws StageException, TransientException {
    URI url = blobUrl(name, digest);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", options.userAgent());
    if (end >= 0) {
      headers.put("Range", "bytes=" + start + "-" + end);
    }
    try {
      Transport.Response r = authorized(name, url, headers);
      if (r.status == 200 || r.status == 206) {
        return r;
      }
      try (r) {
        throw statusError(name, "blob " + digest, r);
      }
    } catch (SSLException e) {
      throw tlsError(url, e);
    } catch (IOException e) {
      throw transientOf(e);
    }
  }

  /** Sends the request with a cached token, or fetches a token on 401 and sends it once more. */
  private Transport.Response authorized(ModelName name, URI url, Map<String, String> headers)
      throws IOException, StageException {
    String key = base(name) + "|" + name.repository();
    Transport.Response r = transport.get(url, headers, tokens.get(key));
    if (r.status != 401) {
      return r;
    }
    String challenge = r.header("WWW-Authenticate");
    r.close();
    if (challenge == null || !challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new StageException(
          Reason.REMOTE_ERROR,
          Transport.redact(url)
              + " answered 401 Unauthorized without a Bearer challenge; only anonymous and"
              + " token-authenticated registries are supported");
    }
    tokens.put(key, "Bearer " + tokenServer.token(challenge, url));
    return transport.get(url, headers, tokens.get(key));
  }

  /** Status codes worth another attempt become transient, the rest fail the model. */
  private StageException statusError(ModelName name, String what, Transport.Response r)
      throws TransientException {
    int s = r.status;
    String body = r.errorText(200);
    String where = what + " of " + name + " from " + Transport.redact(r.url);
    if (s == 408 || s == 425 || s == 429 || s >= 500) {
      throw new TransientException(
          "HTTP " + s + (body.isEmpty() ? "" : ": " + body),
          Backoff.parseRetryAfter(r.header("Retry-After"), options.clock()));
    }
    if (s == 404) {
      return new StageException(
          Reason.NOT_FOUND,
          where
              + ": 404 not found"
              + (what.equals("manifest")
                  ? "; check the model name and tag (" + name.displayShortest() + ")"
                  : "; the registry lists a blob it does not have"));
    }
    return new StageException(
        Reason.REMOTE_ERROR, where + ": HTTP " + s + (body.isEmpty() ? "" : ": " + body) + hint(s));
  }

  private static String hint(int s) {
    return switch (s) {
      case 401, 403 -> " (the registry refuses anonymous access)";
      case 412 -> " (the registry wants a newer Ollama version in the User-Agent)";
      case 416 -> " (the registry's blob is shorter than the manifest says)";
      default -> "";
    };
  }

  /**
   * A TLS failure does not heal by retrying: an untrusted certificate (a private CA, a
   * TLS-inspecting proxy) needs configuration.
   */
  private static StageException tlsError(URI url, SSLException e) {
    return new StageException(
        Reason.REMOTE_ERROR,
        "TLS with "
            + url.getHost()
            + (url.getPort() > 0 ? ":" + url.getPort() : "")
            + " failed: "
            + e.getMessage()
            + "; if the registry, mirror or a TLS-inspecting proxy uses a private CA, pass its"
            + " certificate with --ca-bundle",
        e);
  }

  static TransientException transientOf(IOException e) {
    if (e instanceof TransientException t) {
      return t;
    }
    boolean stall = e instanceof SocketTimeoutException;
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new TransientException(
        stall ? "no data for the stall timeout (" + msg + ")" : msg, null, stall, e);
  }

  private void sleep(Duration d) throws StageException {
    try {
      options.sleeper().sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StageException(Reason.INTERRUPTED, "interrupted while waiting to retry", e);
    }
  }
}
