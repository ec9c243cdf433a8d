package com.mandateregistry.infra.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The environment-variable forms of mandate-registry.signing.kms.previous-keys, as README names them. */
class SigningPropertiesEnvBindingTest {

  private static SigningProperties bind(Map<String, Object> env) {
    StandardEnvironment environment = new StandardEnvironment();
    MutablePropertySources sources = environment.getPropertySources();
    sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    sources.addFirst(
        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
    ConfigurationPropertySources.attach(environment);
    return Binder.get(environment)
        .bindOrCreate("mandate-registry.signing", Bindable.of(SigningProperties.class));
  }

  private static final Instant AT = Instant.parse("2026-12-07T20:00:00Z");

  @Test
  void previousKeys_withoutUnderscoresInTheirNames_bindNothing() {
    SigningProperties p = bind(Map.of(
        "MANDATE_REGISTRY_SIGNING_KMS_PREVIOUSKEYS_0_KEYID", "alias/old",
        "MANDATE_REGISTRY_SIGNING_KMS_PREVIOUSKEYS_0_RETIREDAT", AT.toString()));
    // silently, so no start-up check can see it: README must not name this form
    assertThat(p.kms().previousKeys()).isEmpty();
  }

  @Test
  void theReadmeForm_bindsEachPreviousKey() {
    SigningProperties p = bind(Map.of(
        "MANDATE_REGISTRY_SIGNING_PROVIDER", "kms",
        "MANDATE_REGISTRY_SIGNING_KMS_KEY_ID", "alias/new",
        "MANDATE_REGISTRY_SIGNING_KMS_PREVIOUS_KEYS_0_KEY_ID", "alias/old",
        "MANDATE_REGISTRY_SIGNING_KMS_PREVIOUS_KEYS_0_RETIRED_AT", AT.toString()));
    assertThat(p.kms().keyId()).isEqualTo("alias/new");
    assertThat(p.kms().previousKeys()).containsExactly(new SigningProperties.PreviousKey("alias/old", AT));
  }

  @Test
  void theCanonicalForm_bindsToo() {
    SigningProperties p = bind(Map.of(
        "MANDATEREGISTRY_SIGNING_KMS_PREVIOUSKEYS_0_KEYID", "alias/old",
        "MANDATEREGISTRY_SIGNING_KMS_PREVIOUSKEYS_0_RETIREDAT", AT.toString()));
    assertThat(p.kms().previousKeys()).containsExactly(new SigningProperties.PreviousKey("alias/old", AT));
  }
}
