package com.mandateregistry.crypto.kms;

import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * The signing key directory of a deployment that signs with AWS KMS: one {@link KmsSigner} on a
 * {@link KmsClient} this object owns (and closes). Credentials come from the SDK's default provider
 * chain (environment, profile, container or instance role). Each call attempt times out after
 * {@link #ATTEMPT_TIMEOUT} and each call, retries included, after {@link #CALL_TIMEOUT}.
 */
public final class KmsSigningKeys implements SigningKeys, AutoCloseable {

  /** Longest wait for one attempt of a KMS call. */
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

  /** Longest wait for one KMS call, retries included. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  private final KmsClient client;
  private final KmsSigner signer;

  private KmsSigningKeys(KmsClient client, KmsSigner signer) {
    this.client = client;
    this.signer = signer;
  }

  /**
   * Connects to the KMS key and checks it (see {@link KmsSigner#create}).
   *
   * @param keyId key id, key ARN, alias name or alias ARN
   * @param region the AWS region, for example {@code eu-central-1}
   * @param endpointOverride another endpoint (LocalStack, a VPC endpoint), or {@code null}
   * @throws SigningException if KMS cannot be reached or the key is not an ECC_NIST_P256 signing
   *     key; the client is closed again
   */
  public static KmsSigningKeys connect(String keyId, String region, URI endpointOverride)
      throws SigningException {
    Objects.requireNonNull(keyId, "keyId");
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("the AWS region of the KMS key is required");
    }
    KmsClientBuilder builder =
        KmsClient.builder()
            .region(Region.of(region))
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    // a KMS endpoint that accepts connections but never answers must not stall
                    // start-up or the ledger for minutes: each attempt gets 5 s, a call 20 s
                    .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                    .apiCallTimeout(CALL_TIMEOUT)
                    .build());
    if (endpointOverride != null) {
      builder.endpointOverride(endpointOverride);
    }
    KmsClient client = builder.build();
    try {
      return new KmsSigningKeys(client, KmsSigner.create(client, keyId));
    } catch (SigningException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  @Override
  public Signer currentSigner() {
    return signer;
  }

  @Override
  public List<PublicKeyInfo> publicKeys() {
    return List.of(signer.publicKeyInfo());
  }

  /** The ARN of the KMS key, as KMS named it. */
  public String kmsKeyArn() {
    return signer.kmsKeyArn();
  }

  @Override
  public void close() {
    client.close();
  }
}
