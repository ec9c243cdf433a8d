package com.mandateregistry.crypto.kms;

import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * The signing key directory of a deployment that signs with AWS KMS: one {@link KmsSigner} on a
 * {@link KmsClient} this object owns (and closes). Credentials come from the SDK's default provider
 * chain (environment, profile, container or instance role). Each call attempt times out after
 * {@link #ATTEMPT_TIMEOUT} and each call, retries included, after {@link #CALL_TIMEOUT}.
 *
 * <p>The directory lists the current key and, retired, the {@linkplain PreviousKey previous keys}
 * it is given: KMS has no history of which key a deployment signed with, so after a change of key
 * the operator names the old one and when it stopped signing. Listed, it stays in the DID document
 * ({@code /.well-known/did.json}), so that a Proof-of-Mandate it signed in its last minutes can
 * still be resolved, and the audit ledger's key table records when it was retired.
 */
public final class KmsSigningKeys implements SigningKeys, AutoCloseable {

  /** Longest wait for one attempt of a KMS call. */
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

  /** Longest wait for one KMS call, retries included. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  private final KmsClient client;
  private final KmsSigner signer;
  private final List<PublicKeyInfo> publicKeys;

  private KmsSigningKeys(KmsClient client, KmsSigner signer, List<PublicKeyInfo> retired) {
    this.client = client;
    this.signer = signer;
    List<PublicKeyInfo> all = new ArrayList<>();
    all.add(signer.publicKeyInfo());
    all.addAll(retired);
    this.publicKeys = List.copyOf(all);
  }

  /**
   * A KMS key this deployment signed with before the current one.
   *
   * @param keyId its key id, key ARN or alias; it must still answer {@code GetPublicKey} and {@code
   *     DescribeKey} (not disabled, not deleted)
   * @param retiredAt when it stopped signing: when the last node that signed with it stopped (keys
   *     are changed with every node stopped). Not later than now; a verifier refuses what it
   *     signed after this instant
   */
  public record PreviousKey(String keyId, Instant retiredAt) {
    public PreviousKey {
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(retiredAt, "retiredAt");
    }
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
    return connect(keyId, region, endpointOverride, List.of(), Clock.systemUTC());
  }

  /**
   * Connects to the current KMS key and to each previous one (see {@link KmsSigner#create}), and
   * lists the previous ones retired at their {@link PreviousKey#retiredAt}.
   *
   * @throws SigningException as {@link #connect(String, String, URI)}, also for a previous key
   * @throws IllegalArgumentException if a previous key is the current key or another previous one,
   *     or its {@code retiredAt} is later than now or before the KMS key was created; the client
   *     is closed again
   */
  public static KmsSigningKeys connect(
      String keyId, String region, URI endpointOverride, List<PreviousKey> previous, Clock clock)
      throws SigningException {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(previous, "previous");
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
      KmsSigner current = KmsSigner.create(client, keyId);
      return new KmsSigningKeys(client, current, retired(client, current, previous, clock.instant()));
    } catch (SigningException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  @Override
  public Signer currentSigner() {
    return signer;
  }

  /** The previous keys' public keys, each retired at its {@code retiredAt}. */
  private static List<PublicKeyInfo> retired(
      KmsClient client, KmsSigner current, List<PreviousKey> previous, Instant now)
      throws SigningException {
    Set<String> seen = new HashSet<>(Set.of(current.keyId()));
    List<PublicKeyInfo> retired = new ArrayList<>();
    for (PreviousKey key : previous) {
      PublicKeyInfo info = KmsSigner.create(client, key.keyId()).publicKeyInfo();
      if (!seen.add(info.keyId())) {
        throw new IllegalArgumentException(
            "previous KMS key " + key.keyId() + " is " + (info.keyId().equals(current.keyId())
                ? "the current key" : "listed twice") + " (key id " + info.keyId() + ")");
      }
      if (key.retiredAt().isAfter(now)) {
        throw new IllegalArgumentException(
            "previous KMS key " + key.keyId() + " is retired at " + key.retiredAt()
                + ", which is later than now: a key is retired once it has stopped signing");
      }
      if (key.retiredAt().isBefore(info.notBefore())) {
        throw new IllegalArgumentException(
            "previous KMS key " + key.keyId() + " is retired at " + key.retiredAt()
                + ", before it was created (" + info.notBefore() + ")");
      }
      retired.add(info.retire(key.retiredAt()));
    }
    // as VerificationKeys#publicKeys lists them: newest first, whatever the configured order
    retired.sort(Comparator.comparing(PublicKeyInfo::retiredAt).reversed());
    return retired;
  }

  /** The current key, then the previous keys, retired. */
  @Override
  public List<PublicKeyInfo> publicKeys() {
    return publicKeys;
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
