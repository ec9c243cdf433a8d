package com.mandateregistry.infra.web;

import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies say what they mean: a number or a boolean where the API expects a string (a
 * subject id, an action, a revocation reason) is a 400, not silently turned into {@code "12"} or
 * {@code "true"}. The rest of the strict reading (no trailing content, no repeated keys, no
 * numbers for enum values) is in {@code application.yml} under {@code spring.jackson}.
 */
@Configuration(proxyBeanMethods = false)
class JsonStrictness {

  @Bean
  Jackson2ObjectMapperBuilderCustomizer noScalarToStringCoercion() {
    return builder ->
        builder.postConfigurer(
            mapper ->
                mapper
                    .coercionConfigFor(LogicalType.Textual)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }
}
