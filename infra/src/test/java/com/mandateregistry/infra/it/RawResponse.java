package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/** One HTTP/1.1 exchange over a plain socket, for requests no HTTP client library would send. */
record RawResponse(int status, String head, String contentType, String body) {

  static RawResponse send(URI base, String request) throws java.io.IOException {
    return send(base, request, new byte[0]);
  }

  /** {@code requestHead} (request line and headers, ISO-8859-1) followed by {@code content}. */
  static RawResponse send(URI base, String requestHead, byte[] content) throws java.io.IOException {
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(requestHead.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(content);
      socket.getOutputStream().flush();
      String raw = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int headerEnd = raw.indexOf("\r\n\r\n");
      String head = headerEnd < 0 ? raw : raw.substring(0, headerEnd);
      String body = headerEnd < 0 ? "" : raw.substring(headerEnd + 4);
      int status = Integer.parseInt(head.substring(9, 12));
      String contentType =
          head.lines()
              .filter(l -> l.regionMatches(true, 0, "Content-Type:", 0, 13))
              .map(l -> l.substring(13).trim())
              .findFirst()
              .orElse("");
      if (head.lines().anyMatch(l -> l.equalsIgnoreCase("Transfer-Encoding: chunked"))) {
        body = dechunk(body);
      }
      return new RawResponse(status, head, contentType, body);
    }
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
    return out.toString();
  }

  /** The value of the response header {@code name} (case-insensitive), or null. */
  String header(String name) {
    return head.lines()
        .filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
        .map(l -> l.substring(name.length() + 1).trim())
        .findFirst()
        .orElse(null);
  }

  void assertError(int expectedStatus, String code) throws java.io.IOException {
    assertThat(status).as(body).isEqualTo(expectedStatus);
    assertThat(contentType).as(body).startsWith("application/json");
    JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
    assertThat(json.get("code").asText()).isEqualTo(code);
    assertThat(json.get("message").asText()).isNotBlank();
    assertThat(json.get("details").isArray()).isTrue();
  }
}
