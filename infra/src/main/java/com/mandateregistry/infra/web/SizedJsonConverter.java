package com.mandateregistry.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

/**
 * Spring's JSON converter, writing each body whole with a {@code Content-Length} instead of
 * streaming it in chunks.
 *
 * <p>Spring's converter hands Jackson the response stream and flushes it when Jackson is done, so
 * Tomcat commits the response before it knows the body's length: it sends the headers and the body
 * as one chunk ({@code Transfer-Encoding: chunked}) and the terminating chunk in a second write
 * when the request ends. This one serialises into memory first, sets the length, and hands Tomcat
 * the whole body, which it sends with its headers in one write, and the client knows its size.
 * Every body the registry writes is bounded (pages have a size limit), so holding one in memory
 * costs little. The bench measured no change in the request threads' CPU either way (BENCHMARKS.md,
 * "What the database does per decision").
 */
final class SizedJsonConverter extends MappingJackson2HttpMessageConverter {

  SizedJsonConverter(ObjectMapper objectMapper) {
    super(objectMapper);
  }

  @Override
  protected void writeInternal(Object object, Type type, HttpOutputMessage outputMessage)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(512);
    super.writeInternal(object, type, new InMemory(body, outputMessage.getHeaders()));
    // before getBody(): the servlet response takes the headers when the body is first asked for
    outputMessage.getHeaders().setContentLength(body.size());
    body.writeTo(outputMessage.getBody());
  }

  /** The response's headers, with a body in memory. */
  private record InMemory(OutputStream body, HttpHeaders headers) implements HttpOutputMessage {
    @Override
    public OutputStream getBody() {
      return body;
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }
  }
}
