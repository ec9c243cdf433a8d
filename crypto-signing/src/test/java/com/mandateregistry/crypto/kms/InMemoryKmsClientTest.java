package com.mandateregistry.crypto.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.crypto.EcdsaVerifier;
import com.mandateregistry.crypto.MutableClock;
import com.mandateregistry.crypto.Signatures;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.VerifyRequest;

/** Checks that the test double behaves like KMS where the signer depends on it. */
class InMemoryKmsClientTest {

  private final InMemoryKmsClient kms = new InMemoryKmsClient(new MutableClock(Instant.EPOCH));
  private final String arn = kms.createSigningKey();

  @Test
  void raw_upTo4096Bytes_isSignedOverItsSha256() throws Exception {
    byte[] message = new byte[4096];

    SignResponse response = kms.sign(request(message, MessageType.RAW));

    assertThat(response.keyId()).isEqualTo(arn);
    new EcdsaVerifier(publicKey()).verify(response.signature().asByteArray(), message);
  }

  @Test
  void raw_over4096Bytes_isRejectedLikeKms() {
    assertThatThrownBy(() -> kms.sign(request(new byte[4097], MessageType.RAW)))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        });
  }

  @Test
  void digest_isSignedAsGiven() throws Exception {
    byte[] data = new byte[10_000];

    SignResponse response = kms.sign(request(Signatures.sha256(data), MessageType.DIGEST));

    new EcdsaVerifier(publicKey()).verify(response.signature().asByteArray(), data);
  }

  @Test
  void digest_ofWrongLength_isRejected() {
    assertThatThrownBy(() -> kms.sign(request(new byte[31], MessageType.DIGEST)))
        .isInstanceOf(AwsServiceException.class)
        .hasMessageContaining("Digest is invalid length");
  }

  @Test
  void unimplementedOperations_throwUnsupportedOperation() {
    assertThatThrownBy(() -> kms.verify(VerifyRequest.builder().keyId(arn).build()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void closedClient_refusesCalls() {
    kms.close();

    assertThat(kms.isClosed()).isTrue();
    assertThat(kms.serviceName()).isEqualTo("kms");
    assertThatThrownBy(() -> kms.sign(request(new byte[32], MessageType.DIGEST)))
        .isInstanceOf(IllegalStateException.class);
  }

  private SignRequest request(byte[] message, MessageType type) {
    return SignRequest.builder().keyId(arn).message(SdkBytes.fromByteArray(message))
        .messageType(type).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256).build();
  }

  private PublicKey publicKey() throws Exception {
    byte[] der = kms.getPublicKey(GetPublicKeyRequest.builder().keyId(arn).build()).publicKey().asByteArray();
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
  }
}
