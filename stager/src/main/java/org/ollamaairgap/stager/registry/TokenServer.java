package org.ollamaairgap.stager.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;
import org.ollamaairgap.stager.redact.Redactor;

/**
 * Docker token auth as Ollama does it, anonymously: reads a 401's Bearer challenge, refuses a realm
 * on another host (unless allowed), fetches the token and checks it can be a header. The token
 * becomes a {@link Redactor} secret and is never put into a message.
 */
final class TokenServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHALLENGE_PARAM =
      Pattern.compile("(\\w+)=\"([^\"]*)\"|(\\w+)=([^,\\s]*)");

  private final RegistryOptions options;
  private final Transport transport;

  TokenServer(RegistryOptions options, Transport transport) {
    this.options = options;
    this.transport = transport;
  }

  /** An anonymous token for the challenge {@code url} answered with. */
  String token(String challenge, URI url) throws IOException, StageException {
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
}
