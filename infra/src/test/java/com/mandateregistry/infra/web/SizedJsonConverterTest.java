package com.mandateregistry.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;

/** {@link SizedJsonConverter}; that Tomcat then sends no chunks is checked in {@code VerificationIT}. */
class SizedJsonConverterTest {

  private final SizedJsonConverter converter = new SizedJsonConverter(new ObjectMapper());

  /**
   * A response whose headers are fixed once its body is first asked for, as Spring's servlet
   * response is: what the body stream saw of the headers at that moment is what the client gets.
   */
  private static final class Response implements HttpOutputMessage {
    final HttpHeaders headers = new HttpHeaders();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    HttpHeaders sent;

    @Override
    public OutputStream getBody() {
      if (sent == null) {
        sent = HttpHeaders.readOnlyHttpHeaders(new HttpHeaders(headers));
      }
      return body;
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }
  }

  @Test
  void writesTheWholeBodyWithItsLengthInBytes_beforeTheHeadersAreSent() throws Exception {
    Response response = new Response();
    Map<String, Object> value = Map.of("decision", "ALLOW", "note", "Überweisung ≤ 10 €");

    converter.write(value, MediaType.APPLICATION_JSON, response);

    byte[] written = response.body.toByteArray();
    assertThat(new ObjectMapper().readTree(written)).isEqualTo(new ObjectMapper().valueToTree(value));
    assertThat(written.length).isGreaterThan(new String(written, StandardCharsets.UTF_8).length());
    assertThat(response.sent).as("headers when the body was first asked for").isNotNull();
    assertThat(response.sent.getContentLength()).isEqualTo(written.length);
    assertThat(response.sent.getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
  }

  @Test
  void writesALargeBodyWholeToo() throws Exception {
    Response response = new Response();
    List<String> value = java.util.Collections.nCopies(5_000, "an entry of a page");

    converter.write(value, MediaType.APPLICATION_JSON, response);

    assertThat(response.sent.getContentLength()).isEqualTo(response.body.size()).isGreaterThan(100_000);
    assertThat(new ObjectMapper().readTree(response.body.toByteArray())).hasSize(5_000);
  }
}
