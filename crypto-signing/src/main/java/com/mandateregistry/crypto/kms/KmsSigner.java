package com.mandateregistry.crypto.kms;

import com.mandateregistry.crypto.EcdsaVerifier;
import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.SignatureVerifier;
import com.mandateregistry.crypto.Signatures;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * A signer backed by an AWS KMS asymmetric key ({@code ECC_NIST_P256}, {@code SIGN_VERIFY}).
 *
 * <p><b>Signing.</b> {@link #sign} hashes the data with SHA-256 locally and calls KMS {@code Sign}
 * with {@code MessageType=DIGEST} and {@code ECDSA_SHA_256}, so input of any size works (KMS limits
 * {@code RAW} messages to 4096 bytes). KMS returns a DER signature; before returning it, the signer
 * checks it against the public key fetched at creation, so a signature that would not verify for
 * readers is never handed out.
 *
 * <p><b>Key id rule.</b> KMS answers with the key ARN. At {@link #create} the signer fetches the
 * public key and pins the ARN in that answer, after checking it against the configured key:
 *
 * <ul>
 *   <li>a key ARN must equal the returned ARN;
 *   <li>a bare key id ({@code 1234abcd-…}) must be the end of the returned ARN, {@code …:key/<id>};
 *   <li>an alias ({@code alias/name} or an alias ARN) cannot be checked locally: the ARN it points
 *       to at creation is pinned.
 * </ul>
 *
 * Every {@code Sign} response must then name exactly the pinned ARN; anything else (another key, a
 * re-pointed alias, no key id) is a {@link SigningException}.
 *
 * <p><b>Key id in signatures.</b> {@link #keyId()} and {@link KeyedSignature#keyId()} are the RFC
 * 7638 thumbprint of the public key, the same rule as the local signer ({@link
 * com.mandateregistry.crypto.KeyIds}), not the ARN: readers recompute it from the published key
 * and the account id stays out of signed data. {@link #kmsKeyArn()} gives the ARN for operators.
 *
 * <p><b>Errors.</b> Every AWS SDK exception ({@link SdkException}: service errors such as {@code
 * KmsInternalException}, {@code DisabledException}, {@code NotFoundException}, and client errors such
 * as {@code SdkClientException}) becomes a {@link SigningException} that keeps it as the cause. No
 * retry happens here beyond the SDK client's own retry policy.
 *
 * <p><b>Permissions.</b> {@code kms:GetPublicKey} and {@code kms:DescribeKey} at creation, {@code
 * kms:Sign} afterwards. The {@link KmsClient} is owned by the caller, who closes it.
 *
 * <p>Thread-safe.
 */
public final class KmsSigner implements Signer {

  private static final Logger log = LoggerFactory.getLogger(KmsSigner.class);

  private final KmsClient kms;
  private final String configuredKeyId;
  private final String keyArn;
  private final PublicKeyInfo publicKeyInfo;
  private final SignatureVerifier verifier;

  private KmsSigner(KmsClient kms, String configuredKeyId, String keyArn, PublicKeyInfo publicKeyInfo) {
    this.kms = kms;
    this.configuredKeyId = configuredKeyId;
    this.keyArn = keyArn;
    this.publicKeyInfo = publicKeyInfo;
    this.verifier = publicKeyInfo.verifier();
  }

  /**
   * Connects to the KMS key {@code kmsKeyId}: fetches and checks its public key ({@code
   * GetPublicKey}) and its creation date ({@code DescribeKey}, used as {@code notBefore}).
   *
   * @param kms the client; not closed by the signer
   * @param kmsKeyId a key id, key ARN, alias name or alias ARN
   * @throws SigningException if KMS fails or the key is not an {@code ECC_NIST_P256} {@code
   *     SIGN_VERIFY} key offering {@code ECDSA_SHA_256}, or is not the configured key
   */
  public static KmsSigner create(KmsClient kms, String kmsKeyId) throws SigningException {
    Objects.requireNonNull(kms, "kms");
    Objects.requireNonNull(kmsKeyId, "kmsKeyId");
    if (kmsKeyId.isBlank()) {
      throw new IllegalArgumentException("the KMS key id must not be blank");
    }
    GetPublicKeyResponse response;
    KeyMetadata metadata;
    try {
      response = kms.getPublicKey(GetPublicKeyRequest.builder().keyId(kmsKeyId).build());
      metadata = kms.describeKey(DescribeKeyRequest.builder().keyId(kmsKeyId).build()).keyMetadata();
    } catch (SdkException e) {
      throw new SigningException(
          "KMS key " + kmsKeyId + " is unavailable (" + e.getClass().getSimpleName() + ": "
              + e.getMessage() + ")", e);
    }
    String arn = response.keyId();
    if (arn == null || !refersTo(kmsKeyId, arn)) {
      throw new SigningException("KMS returned key " + arn + " for requested key " + kmsKeyId);
    }
    if (metadata == null || !arn.equals(metadata.arn())) {
      throw new SigningException(
          "KMS described key " + (metadata == null ? null : metadata.arn()) + ", want " + arn);
    }
    if (response.keySpec() != KeySpec.ECC_NIST_P256) {
      throw new SigningException("KMS key " + arn + " has key spec " + response.keySpecAsString()
          + ", want ECC_NIST_P256");
    }
    if (response.keyUsage() != KeyUsageType.SIGN_VERIFY) {
      throw new SigningException("KMS key " + arn + " has key usage " + response.keyUsageAsString()
          + ", want SIGN_VERIFY");
    }
    if (!response.signingAlgorithms().contains(SigningAlgorithmSpec.ECDSA_SHA_256)) {
      throw new SigningException("KMS key " + arn + " does not offer ECDSA_SHA_256");
    }
    if (response.publicKey() == null || metadata.creationDate() == null) {
      throw new SigningException("KMS key " + arn + ": response without public key or creation date");
    }
    PublicKeyInfo info;
    try {
      PublicKey publicKey =
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(response.publicKey().asByteArray()));
      if (!EcdsaVerifier.isP256(publicKey)) {
        throw new SigningException("KMS key " + arn + " public key is not on P-256");
      }
      info = PublicKeyInfo.current(publicKey, metadata.creationDate());
    } catch (GeneralSecurityException e) {
      throw e instanceof SigningException se
          ? se
          : new SigningException("KMS key " + arn + ": unreadable public key", e);
    }
    log.info("KMS signing key {} is key id {}", arn, info.keyId());
    return new KmsSigner(kms, kmsKeyId, arn, info);
  }

  /**
   * Whether a KMS response naming {@code returnedArn} answers a request for {@code requested}; see
   * the class comment. Aliases always match here, and are pinned by {@link #create}.
   */
  static boolean refersTo(String requested, String returnedArn) {
    if (requested.equals(returnedArn)) {
      return true;
    }
    if (requested.startsWith("alias/") || (requested.startsWith("arn:") && requested.contains(":alias/"))) {
      return returnedArn.startsWith("arn:") && returnedArn.contains(":key/");
    }
    return !requested.startsWith("arn:") && returnedArn.startsWith("arn:")
        && returnedArn.endsWith(":key/" + requested);
  }

  @Override
  public KeyedSignature sign(byte[] data) throws SigningException {
    Objects.requireNonNull(data, "data");
    SignResponse response;
    try {
      response =
          kms.sign(
              SignRequest.builder()
                  .keyId(keyArn)
                  .message(SdkBytes.fromByteArray(Signatures.sha256(data)))
                  .messageType(MessageType.DIGEST)
                  .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                  .build());
    } catch (RuntimeException e) {
      // SdkException, and what a closed client throws while the service shuts down
      // (IllegalStateException, RejectedExecutionException): all are a failed signature
      throw new SigningException(
          "KMS Sign failed for key " + keyArn + " (" + e.getClass().getSimpleName() + ": "
              + e.getMessage() + ")", e);
    }
    if (response == null || !keyArn.equals(response.keyId())) {
      throw new SigningException("KMS signed with key " + (response == null ? null : response.keyId())
          + " but key " + keyArn + " was requested");
    }
    if (response.signingAlgorithm() != SigningAlgorithmSpec.ECDSA_SHA_256 || response.signature() == null) {
      throw new SigningException("KMS answered with algorithm " + response.signingAlgorithmAsString()
          + (response.signature() == null ? " and no signature" : "") + ", want ECDSA_SHA_256");
    }
    byte[] der = response.signature().asByteArray();
    try {
      verifier.verify(der, data);
    } catch (GeneralSecurityException e) {
      throw new SigningException("KMS signature does not verify with key " + keyArn, e);
    }
    return new KeyedSignature(publicKeyInfo.keyId(), Signatures.ES256, der);
  }

  /** The RFC 7638 thumbprint of the KMS key's public key; see the class comment. */
  @Override
  public String keyId() {
    return publicKeyInfo.keyId();
  }

  /** The ARN of the KMS key, pinned at creation. */
  public String kmsKeyArn() {
    return keyArn;
  }

  /** The public key, as fetched with {@code GetPublicKey} at creation. */
  public PublicKey publicKey() {
    return publicKeyInfo.publicKey();
  }

  /**
   * The key to publish: thumbprint key id, ES256, the public key, {@code notBefore} = the KMS key's
   * creation date, not retired.
   */
  public PublicKeyInfo publicKeyInfo() {
    return publicKeyInfo;
  }

  @Override
  public String toString() {
    return "KmsSigner[kmsKey=" + keyArn + ", keyId=" + publicKeyInfo.keyId() + "]";
  }
}
