package com.mandateregistry.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Registers the {@link CallerArgumentResolver}, the check of query parameters ({@link
 * UnknownQueryParameters}) and the JSON converter ({@link SizedJsonConverter}), and makes every
 * endpoint answer in its one media type whatever the request's {@code Accept} says.
 *
 * <p>Each endpoint has exactly one representation (JSON, or {@code application/did+json} for the
 * DID document), so there is nothing to negotiate. Honouring {@code Accept} would only turn an
 * {@code Accept: application/xml} into a 406 <em>after</em> the handler ran, so a create, a
 * transition or a verification would take effect and the client would be told it failed, and an
 * error body could not be written at all (a 500). RFC 9110 §12.5.1 lets a server disregard the
 * header instead.
 */
@Configuration(proxyBeanMethods = false)
class WebConfig implements WebMvcConfigurer {

  /** A query parameter the endpoint does not take is a 400 ({@link UnknownQueryParameters}). */
  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new UnknownQueryParameters());
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerArgumentResolver());
  }

  /** CORS preflights are refused in the error shape (static: a post-processor, made early). */
  @Bean
  static CrossOriginRefusal crossOriginRefusal(ObjectProvider<ObjectMapper> json) {
    return new CrossOriginRefusal(json);
  }

  /**
   * JSON bodies written whole, with a {@code Content-Length} ({@link SizedJsonConverter}); Spring
   * Boot's own converter steps back when one is declared.
   */
  @Bean
  MappingJackson2HttpMessageConverter mappingJackson2HttpMessageConverter(ObjectMapper json) {
    return new SizedJsonConverter(json);
  }

  @Override
  public void configureContentNegotiation(ContentNegotiationConfigurer negotiation) {
    // JSON where the handler could produce several types; anything a handler declares otherwise
    negotiation.ignoreAcceptHeader(true).defaultContentType(MediaType.APPLICATION_JSON, MediaType.ALL);
  }
}
