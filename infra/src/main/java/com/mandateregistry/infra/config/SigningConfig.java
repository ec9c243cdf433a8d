package com.mandateregistry.infra.config;

import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.crypto.local.LocalKeySigner;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The signing key of the audit ledger and of Proof-of-Mandate credentials. The embedded default is
 * an ECDSA P-256 key in {@code <data-dir>/keys/signing.p12}, created on the first start and kept
 * across restarts; it is meant for development. (AWS KMS wiring comes with the audit-ledger work.)
 */
@Configuration(proxyBeanMethods = false)
class SigningConfig {

  private static final Logger log = LoggerFactory.getLogger(SigningConfig.class);

  @Bean
  SigningKeys signingKeys(
      RegistryProperties properties,
      Clock clock,
      @Value("${mandate-registry.signing.keystore-password:}") String password)
      throws SigningException {
    char[] secret = password.isEmpty() ? LocalKeySigner.developmentPassword() : password.toCharArray();
    if (password.isEmpty()) {
      log.warn(
          "mandate-registry.signing.keystore-password is not set: the local signing key uses the"
              + " development password. Use AWS KMS or set a password outside development.");
    }
    LocalKeySigner signer =
        LocalKeySigner.open(properties.dataDir().resolve("keys").resolve("signing.p12"), secret, clock);
    log.info("local signing key {} ready in {}", signer.keyId(), signer.keystoreFile());
    return signer;
  }
}
