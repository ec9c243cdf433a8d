package com.mandateregistry.infra.config;

import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.crypto.kms.KmsSigningKeys;
import com.mandateregistry.crypto.local.LocalKeySigner;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The signing key of the audit ledger and of Proof-of-Mandate credentials, chosen by {@code
 * mandate-registry.signing.provider}:
 *
 * <ul>
 *   <li>{@code local} (default): an ECDSA P-256 key in {@code <data-dir>/keys/signing.p12}, created
 *       on the first start and kept across restarts; meant for development;
 *   <li>{@code kms}: the AWS KMS key {@code mandate-registry.signing.kms.key-id} in {@code
 *       …kms.region}, optionally at {@code …kms.endpoint-override}; the service does not start
 *       unless the key answers and is an ECC_NIST_P256 signing key.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class SigningConfig {

  private static final Logger log = LoggerFactory.getLogger(SigningConfig.class);

  @Bean
  @ConditionalOnMissingBean(SigningKeys.class)
  SigningKeys signingKeys(RegistryProperties properties, SigningProperties signing, Clock clock)
      throws SigningException {
    return switch (signing.provider()) {
      case LOCAL -> local(properties, signing, clock);
      case KMS -> kms(signing.kms());
    };
  }

  private static SigningKeys local(RegistryProperties properties, SigningProperties signing, Clock clock)
      throws SigningException {
    String password = signing.keystorePassword();
    // without a password, the development one: LocalKeySigner warns about it when it opens the file
    char[] secret = password.isEmpty() ? LocalKeySigner.developmentPassword() : password.toCharArray();
    LocalKeySigner signer =
        LocalKeySigner.open(properties.dataDir().resolve("keys").resolve("signing.p12"), secret, clock);
    log.info("local signing key {} ready in {}", signer.keyId(), signer.keystoreFile());
    return signer;
  }

  private static SigningKeys kms(SigningProperties.Kms kms) throws SigningException {
    if (kms.keyId().isBlank() || kms.region().isBlank()) {
      throw new IllegalStateException(
          "mandate-registry.signing.provider=kms needs mandate-registry.signing.kms.key-id and"
              + " mandate-registry.signing.kms.region (MANDATE_REGISTRY_SIGNING_KMS_KEY_ID,"
              + " MANDATE_REGISTRY_SIGNING_KMS_REGION)");
    }
    KmsSigningKeys keys = KmsSigningKeys.connect(kms.keyId(), kms.region(), kms.endpointOverride());
    log.info("signing with AWS KMS key {} (key id {})", keys.kmsKeyArn(), keys.currentSigner().keyId());
    return keys;
  }
}
