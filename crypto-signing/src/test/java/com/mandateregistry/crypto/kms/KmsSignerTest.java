package com.mandateregistry.crypto.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.crypto.KeyIds;
import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.MutableClock;
import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.Signatures;
import com.mandateregistry.crypto.SignerContractTest;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.model.CreateKeyRequest;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/** The signer contract and the KMS-specific rules, on the {@link InMemoryKmsClient} test double. */
class KmsSignerTest extends SignerContractTest {

  private static final Instant CREATED = Instant.parse("2026-02-01T08:30:00Z");
  private static final byte[] DATA = "audit entry 17".getBytes(StandardCharsets.UTF_8);

  private final InMemoryKmsClient kms = new InMemoryKmsClient(new MutableClock(CREATED));

  @Override
  protected SigningKeys newSigningKeys() throws Exception {
    KmsSigner signer = KmsSigner.create(kms, kms.createSigningKey());
    return SigningKeys.of(signer, List.of(signer.publicKeyInfo()));
  }

  private String bareKeyId(String arn) {
    return arn.substring(arn.indexOf(":key/") + ":key/".length());
  }

  @Test
  void sign_sendsTheSha256DigestWithMessageTypeDigest() throws Exception {
    String arn = kms.createSigningKey();
    KmsSigner signer = KmsSigner.create(kms, bareKeyId(arn));

    signer.sign(DATA);

    SignRequest request = kms.signRequests().get(kms.signRequests().size() - 1);
    assertThat(request.messageType()).isEqualTo(MessageType.DIGEST);
    assertThat(request.signingAlgorithm()).isEqualTo(SigningAlgorithmSpec.ECDSA_SHA_256);
    // signs with the ARN pinned at creation, so the key that signs is always the key published
    assertThat(request.keyId()).isEqualTo(arn);
    assertThat(request.message().asByteArray()).isEqualTo(Signatures.sha256(DATA));
  }

  @Test
  void create_withKeyArnOrBareKeyId_pinsTheArn_andUsesTheThumbprintAsKeyId() throws Exception {
    String arn = kms.createSigningKey();

    KmsSigner byArn = KmsSigner.create(kms, arn);
    KmsSigner byId = KmsSigner.create(kms, bareKeyId(arn));

    assertThat(byArn.kmsKeyArn()).isEqualTo(arn);
    assertThat(byId.kmsKeyArn()).isEqualTo(arn);
    assertThat(byArn.keyId()).isEqualTo(byId.keyId()).isEqualTo(KeyIds.thumbprint(byArn.publicKey()));
    assertThat(byArn.keyId()).doesNotContain("arn:");
    PublicKeyInfo info = byArn.publicKeyInfo();
    assertThat(info.notBefore()).isEqualTo(CREATED);
    assertThat(info.isRetired()).isFalse();
    assertThat(byArn.toString()).contains(arn, byArn.keyId());
  }

  @Test
  void sign_whenKmsFailsInternally_throwsSigningExceptionWithCause() throws Exception {
    KmsSigner signer = KmsSigner.create(kms, kms.createSigningKey());
    kms.failNextCalls(1);

    assertThatThrownBy(() -> signer.sign(DATA))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining(signer.kmsKeyArn())
        .hasCauseInstanceOf(KmsInternalException.class);
  }

  @Test
  void sign_whenKmsIsUnreachable_throwsSigningExceptionWithCause() throws Exception {
    KmsSigner signer = KmsSigner.create(kms, kms.createSigningKey());
    kms.setAvailable(false);

    assertThatThrownBy(() -> signer.sign(DATA))
        .isInstanceOf(SigningException.class)
        .hasCauseInstanceOf(SdkClientException.class);
  }

  @Test
  void availability_failsWhileDown_thenWorksAgain() throws Exception {
    KmsSigner signer = KmsSigner.create(kms, kms.createSigningKey());
    signer.sign(DATA);

    kms.setAvailable(false);
    assertThatThrownBy(() -> signer.sign(DATA)).isInstanceOf(SigningException.class);
    assertThatThrownBy(() -> signer.sign(DATA)).isInstanceOf(SigningException.class);

    kms.setAvailable(true);
    KeyedSignature signature = signer.sign(DATA);
    signer.publicKeyInfo().verifier().verify(signature.der(), DATA);
  }

  @Test
  void failNextCalls_failsExactlyThatManyTimes() throws Exception {
    KmsSigner signer = KmsSigner.create(kms, kms.createSigningKey());
    kms.failNextCalls(2);

    assertThatThrownBy(() -> signer.sign(DATA)).isInstanceOf(SigningException.class);
    assertThatThrownBy(() -> signer.sign(DATA)).isInstanceOf(SigningException.class);
    KeyedSignature signature = signer.sign(DATA);

    signer.publicKeyInfo().verifier().verify(signature.der(), DATA);
  }

  @Test
  void sign_whenKmsAnswersWithAnotherKeyId_isRejected() throws Exception {
    KmsSigner signer = KmsSigner.create(kms, kms.createSigningKey());
    kms.setReturnWrongKeyId(true);

    assertThatThrownBy(() -> signer.sign(DATA))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("but key " + signer.kmsKeyArn() + " was requested");

    kms.setReturnWrongKeyId(false);
    signer.sign(DATA);
  }

  @Test
  void sign_whenKmsSignatureDoesNotVerifyWithThePinnedKey_isRejected() throws Exception {
    KmsSigner signer = KmsSigner.create(kms, kms.createSigningKey());
    kms.setSignWithOtherKey(true);

    assertThatThrownBy(() -> signer.sign(DATA))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("does not verify")
        .hasCauseInstanceOf(SignatureException.class);
  }

  @Test
  void create_unknownKey_throwsSigningExceptionWithCause() {
    assertThatThrownBy(() -> KmsSigner.create(kms, "0b1c6f43-0000-4000-8000-000000000000"))
        .isInstanceOf(SigningException.class)
        .hasCauseInstanceOf(NotFoundException.class);
  }

  @Test
  void create_whenKmsIsUnreachable_throwsSigningExceptionWithCause() {
    String arn = kms.createSigningKey();
    kms.setAvailable(false);

    assertThatThrownBy(() -> KmsSigner.create(kms, arn))
        .isInstanceOf(SigningException.class)
        .hasCauseInstanceOf(SdkClientException.class);
  }

  @Test
  void create_p384Key_isRejected() {
    String arn = kms.createKey(CreateKeyRequest.builder()
            .keySpec(KeySpec.ECC_NIST_P384).keyUsage(KeyUsageType.SIGN_VERIFY).build())
        .keyMetadata().arn();

    assertThatThrownBy(() -> KmsSigner.create(kms, arn))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("ECC_NIST_P384");
  }

  @Test
  void create_keyAgreementKey_isRejected() {
    String arn = kms.createKey(CreateKeyRequest.builder()
            .keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.KEY_AGREEMENT).build())
        .keyMetadata().arn();

    assertThatThrownBy(() -> KmsSigner.create(kms, arn))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("KEY_AGREEMENT");
  }

  @Test
  void refersTo_acceptsOnlyTheSameKey() {
    String arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    assertThat(KmsSigner.refersTo(arn, arn)).isTrue();
    assertThat(KmsSigner.refersTo("1234abcd-12ab-34cd-56ef-1234567890ab", arn)).isTrue();
    assertThat(KmsSigner.refersTo("alias/audit-signing", arn)).isTrue();
    assertThat(KmsSigner.refersTo("arn:aws:kms:eu-west-1:111122223333:alias/audit-signing", arn)).isTrue();
    assertThat(KmsSigner.refersTo("34cd-56ef-1234567890ab", arn)).isFalse();
    assertThat(KmsSigner.refersTo("ffffffff-12ab-34cd-56ef-1234567890ab", arn)).isFalse();
    assertThat(KmsSigner.refersTo(
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", arn)).isFalse();
    assertThat(KmsSigner.refersTo("alias/audit-signing", "not-an-arn")).isFalse();
  }

  @Test
  void signingKeys_rejectsASignerWhoseKeyIsNotPublished() throws Exception {
    KmsSigner signer = KmsSigner.create(kms, kms.createSigningKey());
    KmsSigner other = KmsSigner.create(kms, kms.createSigningKey());

    assertThatThrownBy(() -> SigningKeys.of(signer, List.of(other.publicKeyInfo())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(signer.keyId());
    assertThatThrownBy(() -> SigningKeys.of(signer, List.of(signer.publicKeyInfo().retire(CREATED))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retired");
  }

  @Test
  void signingKeys_withRetiredKmsKey_verifiesOldSignaturesByKeyId() throws Exception {
    KmsSigner old = KmsSigner.create(kms, kms.createSigningKey());
    KeyedSignature oldSignature = old.sign(DATA);
    KmsSigner current = KmsSigner.create(kms, kms.createSigningKey());

    SigningKeys keys = SigningKeys.of(current,
        List.of(current.publicKeyInfo(), old.publicKeyInfo().retire(CREATED.plusSeconds(60))));

    assertThat(keys.publicKeys().get(0).keyId()).isEqualTo(current.keyId());
    keys.verify(oldSignature, DATA);
    keys.verify(keys.currentSigner().sign(DATA), DATA);
  }
}
