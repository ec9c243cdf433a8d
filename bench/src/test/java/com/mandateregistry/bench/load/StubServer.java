package com.mandateregistry.bench.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A keep-alive HTTP/1.1 server on the loopback interface that answers request {@code n} (counted
 * from 0 over all connections) as the test says: raw bytes, then the connection closed if asked.
 * Raw, so that a test can send what a real server sends only when it fails (a response cut short).
 */
final class StubServer implements AutoCloseable {

  /** The answer to request {@code n}, whose request line was {@code requestLine}. */
  interface Answer {
    Reply reply(int n, String requestLine);
  }

  /** Bytes to write, and whether to close the connection after them. */
  record Reply(String raw, boolean closeAfter) {
    static Reply status(int status, String body) {
      return new Reply("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
          + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body, false);
    }

    static Reply ok(String body) {
      return status(200, body);
    }
  }

  final AtomicInteger requests = new AtomicInteger();
  private final ServerSocket server;
  private final Answer answer;

  StubServer(Answer answer) throws IOException {
    this.answer = answer;
    this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "stub-http-accept");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "stub-http-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        String requestLine = line(in);
        if (requestLine == null) {
          return;
        }
        int length = 0;
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
          if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
            length = Integer.parseInt(header.substring(15).trim());
          }
        }
        in.readNBytes(length);
        Reply r = answer.reply(requests.getAndIncrement(), requestLine);
        out.write(r.raw().getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (r.closeAfter()) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int n = b.length();
        if (n > 0 && b.charAt(n - 1) == '\r') {
          b.setLength(n - 1);
        }
        return b.toString();
      }
      b.append((char) c);
    }
    return b.length() == 0 ? null : b.toString();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
