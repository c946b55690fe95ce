package org.ollamaairgap.stager.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal HTTPS proxy for tests: answers {@code CONNECT host:port} and relays bytes. */
final class ConnectProxy implements AutoCloseable {
  final List<String> requests = new CopyOnWriteArrayList<>();

  /** Every Proxy-Authorization value received (null for a request without one). */
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  /** When set, a CONNECT without {@code Proxy-Authorization: <this>} gets a 407 challenge. */
  volatile String requiredAuthorization;

  private final ServerSocket server;

  ConnectProxy() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "connect-proxy");
    t.setDaemon(true);
    t.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> tunnel(client), "connect-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void tunnel(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      // A client answers a 407 on the same connection: ask until it authenticates or leaves.
      while (requiredAuthorization != null
          && !requiredAuthorization.equals(header(head, "Proxy-Authorization"))) {
        authorizations.add(String.valueOf(header(head, "Proxy-Authorization")));
        client
            .getOutputStream()
            .write(
                ("HTTP/1.1 407 Proxy Authentication Required\r\n"
                        + "Proxy-Authenticate: Basic realm=\"corp\"\r\n"
                        + "Content-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        head = readHead(in);
      }
      authorizations.add(String.valueOf(header(head, "Proxy-Authorization")));
      String line = head.substring(0, head.indexOf("\r\n"));
      requests.add(line);
      String[] parts = line.split(" ", -1);
      if (!parts[0].equals("CONNECT")) {
        client
            .getOutputStream()
            .write("HTTP/1.1 405 Only CONNECT\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      String[] hp = parts[1].split(":", -1);
      try (Socket upstream = new Socket(hp[0], Integer.parseInt(hp[1]))) {
        client
            .getOutputStream()
            .write(
                "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Thread back = new Thread(() -> relay(upstream, client), "connect-proxy-back");
        back.setDaemon(true);
        back.start();
        relay(client, upstream);
        back.join();
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // The client went away: nothing to clean up but the sockets.
    }
  }

  /** A header's value from a request head; null when absent. */
  private static String header(String head, String name) {
    for (String line : head.split("\r\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("eof in request head");
      }
      b.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  private static void relay(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      in.transferTo(out);
      to.shutdownOutput();
    } catch (IOException e) {
      // Either side closed.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
