package com.mandateregistry.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** In development the public URL follows {@code server.port}, unless it is set or not yet known. */
class EmbeddedStackPostProcessorTest {

  @Test
  void anotherPort_isThePublicUrlsPort() {
    MockEnvironment env = new MockEnvironment().withProperty("server.port", "18095");
    assertThat(EmbeddedStackPostProcessor.developmentBaseUrl(env)).contains("http://localhost:18095");
  }

  @Test
  void aPublicUrlThatIsSet_theDefaultPort_aRandomPortOrNone_changeNothing() {
    assertThat(
            EmbeddedStackPostProcessor.developmentBaseUrl(
                new MockEnvironment()
                    .withProperty("server.port", "18095")
                    .withProperty("mandate-registry.public-base-url", "https://registry.example")))
        .isEmpty();
    assertThat(EmbeddedStackPostProcessor.developmentBaseUrl(new MockEnvironment().withProperty("server.port", "8080")))
        .isEmpty();
    assertThat(EmbeddedStackPostProcessor.developmentBaseUrl(new MockEnvironment().withProperty("server.port", "0")))
        .isEmpty();
    assertThat(EmbeddedStackPostProcessor.developmentBaseUrl(new MockEnvironment())).isEmpty();
    assertThat(EmbeddedStackPostProcessor.developmentBaseUrl(new MockEnvironment().withProperty("server.port", "eighty")))
        .isEmpty();
  }
}
