package com.mandateregistry.query.verification.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DidWebTest {

  @Test
  void aHostAlone_isTheDid() {
    assertThat(DidWeb.fromUrl("https://api.mandaitor.io")).isEqualTo("did:web:api.mandaitor.io");
  }

  @Test
  void aPort_isPercentEncoded() {
    assertThat(DidWeb.fromUrl("http://localhost:8080")).isEqualTo("did:web:localhost%3A8080");
  }

  @Test
  void pathSegments_followAfterColons() {
    assertThat(DidWeb.fromUrl("https://example.com/tenants/registry/"))
        .isEqualTo("did:web:example.com:tenants:registry");
  }

  @Test
  void theHost_isLowerCased() {
    assertThat(DidWeb.fromUrl("https://API.Example.COM")).isEqualTo("did:web:api.example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com", "example.com", "https://example.com?a=b",
      "https://example.com/#x", "https://user@example.com", "http://[::1]:8080", "not a url"})
  void anythingButAnHttpUrlWithAHostName_isRefused(String url) {
    assertThatThrownBy(() -> DidWeb.fromUrl(url)).isInstanceOf(IllegalArgumentException.class);
  }
}
