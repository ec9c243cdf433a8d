package com.mandateregistry.query.verification.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProofSettingsTest {

  private static final Duration TTL = Duration.ofMinutes(5);

  @Test
  void withoutAnIssuerDid_theDidIsThatOfThePublicBaseUrl() {
    ProofSettings settings = new ProofSettings("http://localhost:8080/", "", ProofSettings.DEFAULT_VCT, TTL);

    assertThat(settings.issuerDid()).isEqualTo("did:web:localhost%3A8080");
    assertThat(settings.publicBaseUrl()).isEqualTo("http://localhost:8080");
  }

  @Test
  void aConfiguredIssuerDid_wins() {
    ProofSettings settings =
        new ProofSettings("http://localhost:8080", "did:web:registry.example", ProofSettings.DEFAULT_VCT, TTL);

    assertThat(settings.issuerDid()).isEqualTo("did:web:registry.example");
  }

  @Test
  void anIssuerThatIsNotADid_isRefused() {
    assertThatThrownBy(() -> new ProofSettings("http://localhost:8080", "https://x", ProofSettings.DEFAULT_VCT, TTL))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anIssuerDidOtherThanDidWeb_isRefused_sinceVerifiersResolveOnlyDidWeb() {
    assertThatThrownBy(() -> new ProofSettings("http://localhost:8080", "did:key:z6MkhaXg", ProofSettings.DEFAULT_VCT, TTL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("did:web");
    assertThatThrownBy(() -> new ProofSettings("http://localhost:8080", "did:web:x#key-1", ProofSettings.DEFAULT_VCT, TTL))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTtlBelowOneSecond_isRefused() {
    assertThatThrownBy(() -> new ProofSettings("http://localhost:8080", "", ProofSettings.DEFAULT_VCT, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBlankVct_isRefused() {
    assertThatThrownBy(() -> new ProofSettings("http://localhost:8080", "", " ", TTL))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyHttpsOrALoopbackUrl_isServedAsPublished() {
    assertThat(ProofSettings.servedAsPublished("https://registry.example")).isTrue();
    assertThat(ProofSettings.servedAsPublished("https://registry.example:8443/base")).isTrue();
    assertThat(ProofSettings.servedAsPublished("http://localhost:8080")).isTrue();
    assertThat(ProofSettings.servedAsPublished("http://127.0.0.1:9000")).isTrue();
    assertThat(ProofSettings.servedAsPublished("http://[::1]:9000")).isTrue();

    assertThat(ProofSettings.servedAsPublished("http://registry.example")).isFalse();
    assertThat(ProofSettings.servedAsPublished("http://10.0.0.5:8080")).isFalse();
    assertThat(ProofSettings.servedAsPublished("ftp://registry.example")).isFalse();
    assertThat(ProofSettings.servedAsPublished("not a url")).isFalse();
  }
}
