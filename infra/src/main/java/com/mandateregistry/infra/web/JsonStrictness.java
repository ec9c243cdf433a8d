package com.mandateregistry.infra.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.mandateregistry.api.web.Timestamps;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies say what they mean: a number or a boolean where the API expects a string (a
 * subject id, an action, a revocation reason) is a 400, not silently turned into {@code "12"} or
 * {@code "true"}; a date-time is an RFC 3339 string, not epoch seconds ({@code 1893456000}) nor a
 * string of digits. The rest of the strict reading (no trailing content, no repeated keys, no
 * numbers for enum values, decimals kept exact) is in {@code application.yml} under {@code
 * spring.jackson}, and {@link JsonBodyChecks} refuses what JSON can say but the registry cannot
 * keep.
 */
@Configuration(proxyBeanMethods = false)
class JsonStrictness {

  @Bean
  Jackson2ObjectMapperBuilderCustomizer strictRequestBodies() {
    return builder ->
        builder
            .deserializerByType(Instant.class, new Rfc3339Instant())
            .postConfigurer(
                mapper ->
                    mapper
                        .coercionConfigFor(LogicalType.Textual)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  /** An {@link Instant} from an RFC 3339 date-time string with an offset, and nothing else. */
  static final class Rfc3339Instant extends StdScalarDeserializer<Instant> {

    Rfc3339Instant() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      String text = p.getText();
      try {
        return Timestamps.parseRfc3339(text);
      } catch (DateTimeException e) {
        return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 date-time");
      }
    }
  }
}
