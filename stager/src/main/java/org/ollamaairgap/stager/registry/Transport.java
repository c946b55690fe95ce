package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.ollamaairgap.stager.redact.Redactor;

/**
 * HTTP GETs with redirects followed by hand, so that credentials never go to another host (Java's
 * own redirect handling forwards {@code Authorization}). {@link HttpURLConnection} rather than
 * {@code java.net.http.HttpClient}: measured here it downloads at 0.5-0.7 GB/s, while HttpClient
 * needs a global buffer-size property to get near that; it also pools keep-alive connections.
 */
final class Transport {
  static final int MAX_REDIRECTS = 10;

  static {
    // Java will not answer a proxy's 407 to a CONNECT with Basic credentials unless this list
    // leaves Basic out, and an authenticating corporate proxy in front of HTTPS is exactly that.
    // Read once, when the JDK's HTTP client first loads, hence here rather than per request.
    if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
      System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
    }
  }

  private final RegistryOptions options;
  private final SSLSocketFactory sslFactory;
  private final Authenticator proxyLogin;

  Transport(RegistryOptions options) {
    this.options = options;
    this.sslFactory = options.caBundle() == null ? null : CaBundle.sslFactory(options.caBundle());
    this.proxyLogin = proxyLogin(options.httpsProxy());
  }

  /**
   * The proxy's user and password from {@code http://user:pass@host:port}, given only to that proxy
   * when it asks (407), never to a registry; both become secrets for the {@link Redactor}.
   */
  private static Authenticator proxyLogin(URI proxy) {
    if (proxy == null || proxy.getRawUserInfo() == null) {
      return null;
    }
    String raw = proxy.getRawUserInfo();
    String info = proxy.getUserInfo();
    int colon = info.indexOf(':');
    String user = colon < 0 ? info : info.substring(0, colon);
    char[] password = colon < 0 ? new char[0] : info.substring(colon + 1).toCharArray();
    Redactor.secret(raw);
    Redactor.secret(info);
    if (password.length > 0) {
      Redactor.secret(new String(password));
    }
    String host = proxy.getHost();
    return new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        if (getRequestorType() != RequestorType.PROXY
            || host == null
            || !host.equalsIgnoreCase(getRequestingHost())) {
          return null;
        }
        return new PasswordAuthentication(user, password.clone());
      }
    };
  }

  /** An answer whose body is still to be read. Close it to free (or keep alive) the connection. */
  static final class Response implements AutoCloseable {
    final HttpURLConnection connection;
    final URI url;
    final int status;
    private InputStream body;
    private volatile boolean aborted;

    Response(HttpURLConnection connection, URI url, int status) {
      this.connection = connection;
      this.url = url;
      this.status = status;
    }

    String header(String name) {
      return connection.getHeaderField(name);
    }

    /** -1 when unknown. */
    long contentLength() {
      return connection.getContentLengthLong();
    }

    /** The body (the error body for status 400 and up); null when there is none. */
    synchronized InputStream body() throws IOException {
      if (aborted) {
        throw new IOException("request aborted");
      }
      if (body == null) {
        body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      }
      return body;
    }

    /** At most {@code max} bytes of an error body, for messages; never throws. */
    String errorText(int max) {
      try {
        InputStream in = body();
        if (in == null) {
          return "";
        }
        byte[] bytes = in.readNBytes(max);
        return sanitize(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        return "";
      }
    }

    /**
     * Drops the connection instead of reading the rest of the body; also unblocks a thread reading
     * it.
     */
    void abort() {
      aborted = true;
      connection.disconnect();
    }

    /** Closes the body; with it read to the end, the connection goes back to the pool. */
    @Override
    public void close() {
      if (aborted) {
        return;
      }
      InputStream in;
      synchronized (this) {
        in = body;
      }
      try {
        if (in != null) {
          in.close();
        } else {
          connection.disconnect();
        }
      } catch (IOException e) {
        connection.disconnect();
      }
    }
  }

  /**
   * GETs {@code url}, following up to {@link #MAX_REDIRECTS} redirects. {@code authorization} is
   * sent only to the scheme, host and port of {@code url}; a redirect elsewhere goes without it.
   */
  Response get(URI url, Map<String, String> headers, String authorization) throws IOException {
    URI current = url;
    for (int hop = 0; ; hop++) {
      boolean sameOrigin = sameOrigin(url, current);
      HttpURLConnection c = open(current);
      headers.forEach(c::setRequestProperty);
      if (authorization != null && sameOrigin) {
        c.setRequestProperty("Authorization", authorization);
      }
      int status;
      try {
        status = c.getResponseCode();
      } catch (IOException e) {
        c.disconnect();
        throw e;
      }
      if (!isRedirect(status)) {
        return new Response(c, current, status);
      }
      String location = c.getHeaderField("Location");
      // A redirect body is a few bytes of HTML at most; drop the connection rather than read it.
      c.disconnect();
      if (location == null) {
        throw new IOException(
            "HTTP " + status + " redirect without a Location header from " + redact(current));
      }
      if (hop >= MAX_REDIRECTS) {
        throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + redact(url));
      }
      try {
        current = current.resolve(new URI(location.trim()));
      } catch (URISyntaxException e) {
        throw new IOException(
            "HTTP " + status + " redirect to an invalid Location from " + redact(current), e);
      }
      if (!"http".equals(current.getScheme()) && !"https".equals(current.getScheme())) {
        throw new IOException("redirect to a non-HTTP URL from " + redact(url));
      }
    }
  }

  private HttpURLConnection open(URI uri) throws IOException {
    Proxy proxy = proxyFor(uri);
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(proxy);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
    c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, options.stallTimeout().toMillis()));
    if (proxyLogin != null && proxy != Proxy.NO_PROXY) {
      c.setAuthenticator(proxyLogin);
    }
    if (sslFactory != null && c instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(sslFactory);
    }
    return c;
  }

  private Proxy proxyFor(URI uri) {
    URI p = options.httpsProxy();
    if (p == null || !"https".equals(uri.getScheme()) || bypass(uri.getHost())) {
      return Proxy.NO_PROXY;
    }
    int port = p.getPort() > 0 ? p.getPort() : ("https".equals(p.getScheme()) ? 443 : 80);
    return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.getHost(), port));
  }

  private boolean bypass(String host) {
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    for (String entry : options.noProxy()) {
      if (entry.equals("*")
          || h.equals(entry)
          || (entry.startsWith(".") && h.endsWith(entry))
          || h.endsWith("." + entry)) {
        return true;
      }
    }
    return false;
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
  }

  /**
   * A URL safe for messages: no query (pre-signed CDN URLs carry credentials there) and no user
   * info, as the {@link Redactor} has it.
   */
  static String redact(URI u) {
    return Redactor.redact(u.toString());
  }

  /** Keeps error bodies printable and short. */
  static String sanitize(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return b.toString().trim();
  }
}
