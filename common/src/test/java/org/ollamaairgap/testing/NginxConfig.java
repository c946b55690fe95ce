package org.ollamaairgap.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders the nginx.conf of an {@link Nginx}: one process, everything under {@code dir}, a
 * stub_status location, one {@code location ^~ <prefix>} per fault prefix and the default handler
 * (static files of the storage, or a proxy to the registry).
 *
 * <p>Counted faults use a {@code perl_set} variable per rule ({@code Fixture::hit} in Fixture.pm)
 * inside an {@code if}; TRUNCATE and CORRUPT rewrite to an internal location whose content handler
 * is {@code Fixture::serve}.
 */
record NginxConfig(Path dir, Path storage, String upstream, Map<String, List<Fault>> faults) {
  /** The whole nginx.conf for a server on 127.0.0.1:{@code port} tagged with {@code id}. */
  String render(int port, String id) {
    StringBuilder c = new StringBuilder();
    c.append("load_module ").append(Nginx.PERL_MODULE).append(";\n");
    // One process: no orphaned workers if the JVM dies, one interpreter for the counters.
    c.append("daemon off;\nmaster_process off;\n");
    c.append("pid ").append(dir.resolve("nginx.pid")).append(";\n");
    c.append("error_log ").append(dir.resolve("logs/error.log")).append(" info;\n");
    c.append("events { worker_connections 512; }\n");
    c.append("http {\n");
    c.append("  log_format wire '$request_method\\t$request_uri\\t$status\\t$bytes_sent")
        .append("\\t$body_bytes_sent\\t$http_range';\n");
    c.append("  access_log ").append(dir.resolve("logs/access.log")).append(" wire;\n");
    for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      String sub = t.equals("client_body") ? "body" : t;
      c.append("  ").append(t).append("_temp_path ").append(dir.resolve("temp/" + sub));
      c.append(";\n");
    }
    c.append("  default_type application/octet-stream;\n  sendfile on;\n");
    c.append("  client_max_body_size 0;\n  keepalive_timeout 30s;\n");
    c.append("  perl_modules ").append(dir).append(";\n  perl_require Fixture.pm;\n");
    List<String> locations = new ArrayList<>();
    int rule = 0;
    for (Map.Entry<String, List<Fault>> entry : faults.entrySet()) {
      StringBuilder loc = new StringBuilder();
      loc.append("    location ^~ ").append(entry.getKey()).append(" {\n");
      for (Fault fault : entry.getValue()) {
        rule++;
        if (fault.servesFromStorage() && storage == null) {
          throw new IllegalStateException(fault.kind() + " needs the registry storage");
        }
        if (fault.kind() == Fault.Kind.REJECT_AUTHORIZATION) {
          loc.append("      if ($http_authorization) { return 400 \"InvalidArgument: ")
              .append("Authorization header not allowed on a pre-signed URL\\n\"; }\n");
          continue;
        }
        c.append("  perl_set $fault_hit_")
            .append(rule)
            .append(" 'sub { Fixture::hit($_[0], ")
            .append(rule)
            .append(", ")
            .append(fault.times())
            .append(") }';\n");
        loc.append("      if ($fault_hit_").append(rule).append(") { ");
        loc.append(action(fault, rule)).append(" }\n");
        if (fault.servesFromStorage()) {
          locations.add(
              "    location = /__fault/"
                  + rule
                  + " {\n      internal;\n      keepalive_timeout 0;\n"
                  + "      set $fault_mode "
                  + (fault.kind() == Fault.Kind.TRUNCATE ? "truncate" : "corrupt")
                  + ";\n      set $fault_bytes "
                  + fault.value()
                  + ";\n      set $fault_root "
                  + storage.toAbsolutePath()
                  + ";\n      perl Fixture::serve;\n    }\n");
        }
      }
      loc.append(handler()).append("    }\n");
      locations.add(loc.toString());
    }
    c.append("  server {\n    listen 127.0.0.1:").append(port).append(";\n");
    c.append("    server_name localhost;\n");
    c.append("    location = ").append(Nginx.STATUS_PATH).append(" {\n      stub_status;\n");
    c.append("      add_header ").append(FixtureProcess.ID_HEADER).append(' ').append(id);
    c.append(";\n      access_log ");
    c.append(dir.resolve("logs/status.log")).append(" wire;\n    }\n");
    locations.forEach(c::append);
    if (!faults.containsKey("/")) {
      c.append("    location / {\n").append(handler()).append("    }\n");
    }
    c.append("  }\n}\n");
    return c.toString();
  }

  private static String action(Fault fault, int rule) {
    return switch (fault.kind()) {
      case SLOW -> "set $limit_rate " + fault.value() + ";";
      case STATUS -> "return " + fault.value() + " \"injected fault " + fault.value() + "\\n\";";
      case UNAVAILABLE ->
          "add_header Retry-After "
              + fault.value()
              + " always; return 503 \"injected fault 503\\n\";";
      case DROP -> "return 444;";
      case TRUNCATE, CORRUPT -> "rewrite ^ /__fault/" + rule + " last;";
      case REJECT_AUTHORIZATION -> throw new AssertionError("handled by the caller");
    };
  }

  private String handler() {
    if (upstream == null) {
      return "      root " + storage.toAbsolutePath() + ";\n";
    }
    return "      proxy_pass "
        + upstream
        + ";\n      proxy_set_header Host $http_host;\n"
        + "      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n"
        + "      proxy_buffering off;\n      proxy_request_buffering off;\n";
  }
}
