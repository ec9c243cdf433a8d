package com.mandateregistry.infra.config;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mandate-registry.signing.*}: which key signs ledger entries (and, later, Proof-of-Mandate
 * credentials).
 *
 * @param provider {@code local} (the embedded default: a key file under the data directory, for
 *     development) or {@code kms} (AWS KMS)
 * @param keystorePassword password of the local keystore; empty = the development password (warns)
 * @param kms the AWS KMS key, when {@code provider} is {@code kms}
 */
@ConfigurationProperties("mandate-registry.signing")
public record SigningProperties(
    @DefaultValue("local") Provider provider,
    @DefaultValue("") String keystorePassword,
    @DefaultValue Kms kms) {

  /** Where the signing key lives. */
  public enum Provider {
    LOCAL,
    KMS
  }

  /**
   * @param keyId key id, key ARN, alias name ({@code alias/…}) or alias ARN of an ECC_NIST_P256
   *     SIGN_VERIFY key
   * @param region its AWS region, for example {@code eu-central-1}
   * @param endpointOverride another KMS endpoint (LocalStack, a VPC endpoint); empty for AWS's
   * @param previousKeys keys signed with before {@code keyId}, each with when it stopped signing;
   *     listed retired in the DID document and the ledger's key table
   */
  public record Kms(
      @DefaultValue("") String keyId,
      @DefaultValue("") String region,
      URI endpointOverride,
      @DefaultValue List<PreviousKey> previousKeys) {}

  /**
   * @param keyId a KMS key id, key ARN or alias that still answers {@code GetPublicKey}
   * @param retiredAt when it stopped signing (RFC 3339), not later than now
   */
  public record PreviousKey(String keyId, Instant retiredAt) {}
}
