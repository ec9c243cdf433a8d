package com.mandateregistry.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** When the load client's connection sends a request again, and when it must not. */
class HttpConnectionTest {

  private static final byte[] HEAD = "POST /v1/verify HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TAIL = "Content-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aKeptAliveConnectionTheServerClosedWhileIdle_isReopened_andTheRequestSentOnce() throws Exception {
    // the server answers the first request and closes the connection without saying so (as a
    // server's idle or request-count limit does); the next request finds it closed
    try (StubServer server = new StubServer((n, line) ->
        n == 0 ? new StubServer.Reply(StubServer.Reply.ok("{\"n\":0}").raw(), true) : StubServer.Reply.ok("{\"n\":1}"))) {
      HttpConnection c = new HttpConnection("127.0.0.1", server.port());
      assertThat(c.exchange(HEAD, null, TAIL).bodyText()).isEqualTo("{\"n\":0}");
      HttpConnection.Response second = c.exchange(HEAD, null, TAIL);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.bodyText()).isEqualTo("{\"n\":1}");
      assertThat(server.requests.get()).isEqualTo(2);
    }
  }

  @Test
  void aResponseCutShort_isAnError_andTheRequestIsNotSentAgain() throws Exception {
    try (StubServer server = new StubServer((n, line) -> n == 1
        ? new StubServer.Reply("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"decision\"", true)
        : StubServer.Reply.ok("{\"decision\":\"ALLOW\"}"))) {
      HttpConnection c = new HttpConnection("127.0.0.1", server.port());
      assertThat(c.exchange(HEAD, null, TAIL).status()).isEqualTo(200);
      assertThatThrownBy(() -> c.exchange(HEAD, null, TAIL)).isInstanceOf(IOException.class);
      assertThat(server.requests.get()).as("requests the server saw").isEqualTo(2);
      // the connection is usable again afterwards, on a new socket
      assertThat(c.exchange(HEAD, null, TAIL).status()).isEqualTo(200);
      assertThat(server.requests.get()).isEqualTo(3);
    }
  }
}
