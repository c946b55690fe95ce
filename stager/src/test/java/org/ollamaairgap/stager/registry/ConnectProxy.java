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
