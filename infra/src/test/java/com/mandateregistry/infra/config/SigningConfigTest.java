package com.mandateregistry.infra.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.crypto.local.LocalKeySigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code mandate-registry.signing.provider} chooses the signing key: a local keystore under the
 * data directory, or an AWS KMS key that must answer before the service starts.
 */
class SigningConfigTest {

  private static final String ACCESS_KEY = "aws.accessKeyId";
  private static final String SECRET_KEY = "aws.secretAccessKey";

  @TempDir Path dataDir;

  private String accessKeyBefore;
  private String secretKeyBefore;

  /** Test-only: what the application context normally provides around {@link SigningConfig}. */
  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({RegistryProperties.class, SigningProperties.class})
  static class Surroundings {
    @Bean
    Clock clock() {
      return Clock.fixed(Instant.parse("2025-03-01T09:30:00Z"), ZoneOffset.UTC);
    }
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withUserConfiguration(Surroundings.class, SigningConfig.class)
        .withPropertyValues("mandate-registry.data-dir=" + dataDir);
  }

  @BeforeEach
  void rememberAwsSystemProperties() {
    accessKeyBefore = System.getProperty(ACCESS_KEY);
    secretKeyBefore = System.getProperty(SECRET_KEY);
  }

  @AfterEach
  void restoreAwsSystemProperties() {
    restore(ACCESS_KEY, accessKeyBefore);
    restore(SECRET_KEY, secretKeyBefore);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void defaultProvider_isALocalKeyUnderTheDataDir_keptAcrossRestarts() throws Exception {
    Path keystore = dataDir.resolve("keys").resolve("signing.p12");
    assertThat(keystore).doesNotExist();
    AtomicReference<String> firstKeyId = new AtomicReference<>();

    runner().run(context -> {
      assertThat(context).hasNotFailed();
      SigningKeys keys = context.getBean(SigningKeys.class);
      assertThat(keys).isInstanceOf(LocalKeySigner.class);
      assertThat(((LocalKeySigner) keys).keystoreFile()).isEqualTo(keystore);
      firstKeyId.set(keys.currentSigner().keyId());
    });
    assertThat(keystore).isRegularFile();
    assertThat(Files.size(keystore)).isPositive();

    runner().run(context -> assertThat(context.getBean(SigningKeys.class).currentSigner().keyId())
        .isEqualTo(firstKeyId.get()));
  }

  @Test
  void localProvider_inAnotherDataDir_hasAnotherKey(@TempDir Path otherDataDir) {
    AtomicReference<String> here = new AtomicReference<>();
    runner().withPropertyValues("mandate-registry.signing.provider=local")
        .run(context -> here.set(context.getBean(SigningKeys.class).currentSigner().keyId()));
    runner().withPropertyValues("mandate-registry.data-dir=" + otherDataDir)
        .run(context -> assertThat(context.getBean(SigningKeys.class).currentSigner().keyId())
            .isNotEqualTo(here.get()));
    assertThat(otherDataDir.resolve("keys").resolve("signing.p12")).isRegularFile();
  }

  @Test
  void kmsProvider_withoutKeyIdAndRegion_failsNamingTheProperties() {
    runner().withPropertyValues("mandate-registry.signing.provider=kms").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure())
          .rootCause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("mandate-registry.signing.kms.key-id")
          .hasMessageContaining("mandate-registry.signing.kms.region");
    });
    assertThat(dataDir.resolve("keys")).doesNotExist();
  }

  @Test
  void kmsProvider_withKeyIdButNoRegion_fails() {
    runner()
        .withPropertyValues(
            "mandate-registry.signing.provider=kms",
            "mandate-registry.signing.kms.key-id=alias/mandate-registry")
        .run(context -> assertThat(context.getStartupFailure())
            .rootCause()
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("mandate-registry.signing.kms.region"));
  }

  @Test
  void kmsProvider_whenKmsDoesNotAnswer_failsStartUpWithASigningException() {
    // credentials for the SDK's default chain, so that the failure is the unreachable endpoint
    System.setProperty(ACCESS_KEY, "test");
    System.setProperty(SECRET_KEY, "test");
    runner()
        .withPropertyValues(
            "mandate-registry.signing.provider=kms",
            "mandate-registry.signing.kms.key-id=alias/mandate-registry",
            "mandate-registry.signing.kms.region=eu-central-1",
            // the discard port: nothing listens there
            "mandate-registry.signing.kms.endpoint-override=http://127.0.0.1:9")
        .run(context -> {
          assertThat(context).hasFailed();
          Throwable failure = context.getStartupFailure();
          assertThat(findCause(failure, SigningException.class))
              .as("a SigningException in the cause chain")
              .isNotNull()
              .hasMessageContaining("KMS key alias/mandate-registry is unavailable");
          assertThat(failure).hasRootCauseInstanceOf(java.net.ConnectException.class);
        });
    assertThat(dataDir.resolve("keys")).doesNotExist();
  }

  @Test
  void unknownProvider_failsBinding() {
    runner().withPropertyValues("mandate-registry.signing.provider=vault").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure())
          .hasStackTraceContaining("vault")
          .satisfies(failure -> assertThat(findCause(failure, BindException.class))
              .as("a BindException in the cause chain")
              .isNotNull()
              .extracting(e -> ((BindException) e).getProperty().getName().toString())
              .isEqualTo("mandate-registry.signing.provider"));
    });
  }

  private static Throwable findCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }
}
