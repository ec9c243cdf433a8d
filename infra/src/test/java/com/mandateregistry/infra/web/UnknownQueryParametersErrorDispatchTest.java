package com.mandateregistry.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A failure outside Spring MVC (a filter's exception) reaches {@link ErrorEndpoint} through the
 * container's ERROR dispatch, which keeps the original query string: the interceptor must not turn
 * that 500 into a 400 "unknown query parameter".
 */
class UnknownQueryParametersErrorDispatchTest {

  @RestController
  static class Listing {
    @GetMapping("/list")
    String list(@RequestParam(value = "limit", required = false) String limit) {
      return "ok";
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
    ServletWebServerFactoryAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    WebMvcAutoConfiguration.class,
    JacksonAutoConfiguration.class,
    HttpMessageConvertersAutoConfiguration.class,
    ErrorMvcAutoConfiguration.class
  })
  @Import({WebConfig.class, ErrorHandling.class, ErrorEndpoint.class, Listing.class})
  static class App {
    /** A filter that fails unexpectedly on one path (a bug, a dependency's exception). */
    @Bean
    FilterRegistrationBean<Filter> failing() {
      FilterRegistrationBean<Filter> bean =
          new FilterRegistrationBean<>(
              (req, res, chain) -> {
                throw new IllegalStateException("boom");
              });
      bean.addUrlPatterns("/list");
      bean.setDispatcherTypes(DispatcherType.REQUEST);
      return bean;
    }
  }

  private static ConfigurableApplicationContext context;
  private static String base;

  @BeforeAll
  static void start() {
    context = new SpringApplicationBuilder(App.class).properties("server.port=0").run();
    base = "http://127.0.0.1:" + ((ServletWebServerApplicationContext) context).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFailureWithoutQuery_is500() throws Exception {
    HttpResponse<String> r = get("/list");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
  }

  @Test
  void aFailureWithAParameterTheEndpointTakes_isStill500() throws Exception {
    HttpResponse<String> r = get("/list?limit=5");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
  }

  @Test
  void errorCalledDirectlyWithAQuery_isTheUnknownRoute() throws Exception {
    HttpResponse<String> r = get("/error?x=1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
  }
}
