package com.mandateregistry.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.web.ErrorResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;

/**
 * The API is for servers, not browsers: it declares no CORS configuration, so Spring MVC refuses
 * every CORS preflight. This makes that refusal a 403 in the error shape ({@code FORBIDDEN}), not
 * Spring's plain-text "Invalid CORS request", by giving every handler mapping a {@link
 * DefaultCorsProcessor} that writes its rejection as JSON. Cross-origin requests that are not
 * preflighted are answered as usual, without {@code Access-Control-Allow-Origin}, so a browser
 * keeps their answer from the page that sent them.
 */
final class CrossOriginRefusal implements BeanPostProcessor {

  static final String MESSAGE =
      "cross-origin requests are not allowed: this API is called by servers, not by browsers";

  private final ObjectProvider<ObjectMapper> json;

  CrossOriginRefusal(ObjectProvider<ObjectMapper> json) {
    this.json = json;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof AbstractHandlerMapping mapping) {
      mapping.setCorsProcessor(new JsonRejection());
    }
    return bean;
  }

  private final class JsonRejection extends DefaultCorsProcessor {
    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
      response.setStatusCode(HttpStatus.FORBIDDEN);
      response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
      json.getObject().writeValue(response.getBody(), new ErrorResponse("FORBIDDEN", MESSAGE, List.of()));
      response.flush();
    }
  }
}
