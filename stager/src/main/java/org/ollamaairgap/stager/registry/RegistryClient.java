package org.ollamaairgap.stager.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;
import org.ollamaairgap.stager.redact.Redactor;

/**
 * The registry protocol as Ollama uses it: {@code GET /v2/<ns>/<model>/manifests/<tag>} and blob
 * GETs, with Docker token auth (anonymous) for mirrors that need it. Tokens are never put into
 * messages.
 */
final class RegistryClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHALLENGE_PARAM =
      Pattern.compile("(\\w+)=\"([^\"]*)\"|(\\w+)=([^,\\s]*)");

  private final RegistryOptions options;
  private final Transport transport;
  private final Backoff backoff;

  /** "Bearer <token>" per base URL and repository. */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  RegistryClient(RegistryOptions options, Transport transport) {
    this.options = options;
    this.transport = transport;
    this.backoff = new Backoff(options.backoffBase(), options.backoffMax());
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
        listener.retry(name, "manifest: " + e.getMessage());
        sleep(backoff.delay(attempt, e.retryAfter));
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
    tokens.put(key, "Bearer " + token(challenge, url));
    return transport.get(url, headers, tokens.get(key));
  }

  private String token(String challenge, URI url) throws IOException, StageException {
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(challenge.substring(7));
    while (m.find()) {
      params.put(
          (m.group(1) != null ? m.group(1) : m.group(3)).toLowerCase(java.util.Locale.ROOT),
          m.group(2) != null ? m.group(2) : m.group(4));
    }
    String realm = params.get("realm");
    if (realm == null || !(realm.startsWith("https://") || realm.startsWith("http://"))) {
      throw new StageException(
          Reason.REMOTE_ERROR, Transport.redact(url) + " asked for a token without a usable realm");
    }
    StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    q.append("service=").append(enc(params.getOrDefault("service", "")));
    String scope = params.get("scope");
    if (scope != null) {
      for (String s : scope.split(" ", -1)) {
        if (!s.isEmpty()) {
          q.append("&scope=").append(enc(s));
        }
      }
    }
    URI tokenUrl;
    try {
      tokenUrl = new URI(q.toString());
    } catch (URISyntaxException e) {
      throw new StageException(
          Reason.REMOTE_ERROR,
          Transport.redact(url) + " asked for a token at a realm that is not a valid URL");
    }
    refuseForeignRealm(url, tokenUrl);
    try (Transport.Response r =
        transport.get(tokenUrl, Map.of("User-Agent", options.userAgent()), null)) {
      if (r.status != 200) {
        throw new StageException(
            Reason.REMOTE_ERROR,
            "token server "
                + Transport.redact(tokenUrl)
                + " answered "
                + r.status
                + " to an anonymous token request; the registry needs credentials,"
                + " which the stager does not support");
      }
      JsonNode json;
      try (InputStream in = r.body()) {
        json = JSON.readTree(in.readNBytes(1 << 20));
      }
      JsonNode t =
          json == null ? null : json.has("token") ? json.get("token") : json.get("access_token");
      if (t == null || !t.isTextual() || t.asText().isEmpty()) {
        throw new StageException(
            Reason.REMOTE_ERROR,
            "token server " + Transport.redact(tokenUrl) + " returned no token");
      }
      Redactor.secret(t.asText());
      return checkedToken(t.asText(), tokenUrl);
    }
  }

  /**
   * Ollama (since v0.14.3) asks for a token only at the registry's own host and port: a registry
   * must not be able to send us to another host, which would then learn what we pull and could hand
   * back a token for the registry to relay. Hosts allowed by {@code --allow-token-host} are the
   * operator's documented exception (a Docker-Hub-style separate token server).
   */
  private void refuseForeignRealm(URI registry, URI realm) throws StageException {
    String asked = hostPort(realm);
    String host = String.valueOf(realm.getHost()).toLowerCase(java.util.Locale.ROOT);
    if (asked.equals(hostPort(registry))
        || options.tokenHosts().contains(asked)
        || options.tokenHosts().contains(host)) {
      return;
    }
    throw new StageException(
        Reason.REMOTE_ERROR,
        Transport.redact(registry)
            + " sent us to "
            + asked
            + " for a token, which is not the registry's own host "
            + hostPort(registry)
            + "; refused as Ollama refuses it, and nothing was sent there. If that host is"
            + " the registry's real token server, allow it with --allow-token-host "
            + asked
            + " (STAGER_ALLOW_TOKEN_HOST)");
  }

  /** {@code host:port} with the scheme's default port filled in, lower case. */
  static String hostPort(URI u) {
    int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    return String.valueOf(u.getHost()).toLowerCase(java.util.Locale.ROOT) + ":" + port;
  }

  /**
   * A token goes into an {@code Authorization} header: CR, LF or any other control character (or a
   * blank) there would split the request, so such a token is refused. The token itself never goes
   * into the message.
   */
  private static String checkedToken(String token, URI tokenUrl) throws StageException {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new StageException(
            Reason.REMOTE_ERROR,
            "token server "
                + Transport.redact(tokenUrl)
                + " returned a token with a control character, blank or non-ASCII character at"
                + " position "
                + i
                + ", which cannot go into an Authorization header; the token server is broken"
                + " or not the registry's. Check --mirror and the registry's token service");
      }
    }
    return token;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
