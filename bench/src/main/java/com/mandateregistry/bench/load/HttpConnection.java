package com.mandateregistry.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A minimal blocking HTTP/1.1 client connection with keep-alive: writes a prepared request, reads
 * one response (Content-Length or chunked), reconnects when the server closes (Tomcat closes a
 * connection after 100 requests by default). One thread uses one connection. It costs far less
 * CPU per request than a general client, which matters when client and server share two cores.
 */
final class HttpConnection implements AutoCloseable {

  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private long reconnects;
  private boolean received;

  HttpConnection(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** One response: its status and body. */
  record Response(int status, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    boolean bodyContains(byte[] needle) {
      outer:
      for (int i = 0; i <= body.length - needle.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (body[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    }
  }

  /**
   * Sends {@code head} (request line and headers up to, not including, the blank line), the
   * {@code extraHeader} line (may be null), then {@code tail} (the last headers, blank line and
   * body), and reads the response. Retries once on a fresh connection only if the kept-alive one
   * turned out to be closed before any byte of the response arrived (the server closed it while
   * idle, so it never took the request); a failure after that (a response cut short) or a read
   * timeout is the caller's error, never silently a second request.
   */
  Response exchange(byte[] head, byte[] extraHeader, byte[] tail) throws IOException {
    boolean fresh = socket == null;
    if (fresh) {
      connect();
    }
    received = false;
    try {
      return send(head, extraHeader, tail);
    } catch (IOException e) {
      closeQuietly();
      if (fresh || received || e instanceof SocketTimeoutException) {
        throw e;
      }
      connect();
      return send(head, extraHeader, tail);
    }
  }

  long reconnects() {
    return reconnects;
  }

  private Response send(byte[] head, byte[] extraHeader, byte[] tail) throws IOException {
    out.write(head);
    if (extraHeader != null) {
      out.write(extraHeader);
    }
    out.write(tail);
    out.flush();
    return read();
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setKeepAlive(true);
    s.connect(new InetSocketAddress(host, port), 5000);
    s.setSoTimeout(60_000);
    socket = s;
    out = new BufferedOutputStream(s.getOutputStream(), 4096);
    in = new BufferedInputStream(s.getInputStream(), 16384);
    reconnects++;
  }

  private Response read() throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new EOFException("connection closed before the response");
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    String header;
    while (!(header = nonNullLine()).isEmpty()) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.equalsIgnoreCase("chunked");
      } else if (name.equalsIgnoreCase("Connection")) {
        close = value.equalsIgnoreCase("close");
      }
    }
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream b = new ByteArrayOutputStream(512);
      while (true) {
        String size = nonNullLine();
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          while (!nonNullLine().isEmpty()) {
            // trailers
          }
          break;
        }
        b.write(in.readNBytes(n));
        line();
      }
      body = b.toByteArray();
    } else if (length >= 0) {
      body = in.readNBytes((int) length);
      if (body.length != length) {
        throw new EOFException("body cut short");
      }
    } else {
      body = in.readAllBytes();
      close = true;
    }
    if (close) {
      closeQuietly();
    }
    return new Response(status, body);
  }

  private String nonNullLine() throws IOException {
    String line = line();
    if (line == null) {
      throw new EOFException("connection closed inside the response");
    }
    return line;
  }

  /** A header line without its CRLF; null at the end of the stream before any byte. */
  private String line() throws IOException {
    StringBuilder b = new StringBuilder(64);
    int c;
    while ((c = in.read()) != -1) {
      received = true;
      if (c == '\n') {
        int len = b.length();
        if (len > 0 && b.charAt(len - 1) == '\r') {
          b.setLength(len - 1);
        }
        return b.toString();
      }
      b.append((char) c);
    }
    if (b.length() == 0) {
      return null;
    }
    throw new EOFException("connection closed inside a line");
  }

  private void closeQuietly() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
