package com.mandateregistry.infra.config;

import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.crypto.kms.KmsSigningKeys;
import com.mandateregistry.crypto.local.LocalKeySigner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 *       unless the key answers and is an ECC_NIST_P256 signing key. Keys it signed with before are
 *       named in {@code …kms.previous-keys}, each with when it stopped signing.
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
      case KMS -> kms(signing.kms(), clock);
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

  private static SigningKeys kms(SigningProperties.Kms kms, Clock clock) throws SigningException {
    if (kms.keyId().isBlank() || kms.region().isBlank()) {
      throw new IllegalStateException(
          "mandate-registry.signing.provider=kms needs mandate-registry.signing.kms.key-id and"
              + " mandate-registry.signing.kms.region (MANDATE_REGISTRY_SIGNING_KMS_KEY_ID,"
              + " MANDATE_REGISTRY_SIGNING_KMS_REGION)");
    }
    List<KmsSigningKeys.PreviousKey> previous = new ArrayList<>();
    for (int i = 0; i < kms.previousKeys().size(); i++) {
      SigningProperties.PreviousKey key = kms.previousKeys().get(i);
      String name = "mandate-registry.signing.kms.previous-keys[" + i + "]";
      if (key.keyId() == null || key.keyId().isBlank() || key.retiredAt() == null) {
        throw new IllegalStateException(name + " needs key-id and retired-at (RFC 3339, for example"
            + " 2026-12-07T20:00:00Z: when the last node signing with it stopped)");
      }
      previous.add(new KmsSigningKeys.PreviousKey(key.keyId(), key.retiredAt()));
    }
    KmsSigningKeys keys =
        KmsSigningKeys.connect(kms.keyId(), kms.region(), kms.endpointOverride(), previous, clock);
    log.info("signing with AWS KMS key {} (key id {})", keys.kmsKeyArn(), keys.currentSigner().keyId());
    keys.publicKeys().stream()
        .filter(PublicKeyInfo::isRetired)
        .forEach(k -> log.info("previous KMS key {} published, retired at {}", k.keyId(), k.retiredAt()));
    return keys;
  }
}
