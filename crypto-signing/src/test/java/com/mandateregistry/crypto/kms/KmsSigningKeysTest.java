package com.mandateregistry.crypto.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.crypto.EcdsaVerifier;
import com.mandateregistry.crypto.KeyIds;
import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.MutableClock;
import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.Signatures;
import com.mandateregistry.crypto.SigningException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SignResponse;

/**
 * {@link KmsSigningKeys} with the real SDK {@code KmsClient} it builds (default credentials chain,
 * Apache HTTP client, SigV4, JSON 1.1, endpoint override, the SDK's retries) against {@link
 * KmsHttpFake}, an HTTP KMS endpoint backed by the {@link InMemoryKmsClient}.
 */
class KmsSigningKeysTest {

  private static final Instant CREATED = Instant.parse("2026-02-01T08:30:17.250Z");
  private static final String REGION = "eu-west-1";
  private static final byte[] DATA = "ledger entry 42 of tenant ten_01".getBytes(StandardCharsets.UTF_8);

  private final InMemoryKmsClient kms = new InMemoryKmsClient(new MutableClock(CREATED));
  private KmsHttpFake fake;
  private KmsHttpFake.CredentialsOverride credentials;

  @BeforeEach
  void startFake() {
    credentials = KmsHttpFake.useDummyCredentials();
    fake = KmsHttpFake.start(kms);
  }

  @AfterEach
  void stopFake() {
    fake.close();
    credentials.close();
  }

  @Test
  void connect_overHttp_signsWithTheKmsKey_underItsThumbprint() throws Exception {
    String arn = kms.createSigningKey();
    KmsSigner direct = KmsSigner.create(kms, arn);

    try (KmsSigningKeys keys = KmsSigningKeys.connect(arn, REGION, fake.uri())) {
      assertThat(keys.kmsKeyArn()).isEqualTo(arn);
      assertThat(keys.currentSigner().keyId())
          .isEqualTo(direct.keyId())
          .isEqualTo(KeyIds.thumbprint(direct.publicKey()));
      PublicKeyInfo published = keys.publicKeys().get(0);
      assertThat(keys.publicKeys()).hasSize(1);
      assertThat(published.publicKey()).isEqualTo(direct.publicKey());
      assertThat(published.notBefore()).as("CreationDate over the wire (PublicKeyInfo keeps whole seconds)")
          .isEqualTo(Instant.parse("2026-02-01T08:30:17Z"));
      assertThat(published).isEqualTo(direct.publicKeyInfo());
      assertThat(published.isRetired()).isFalse();

      KeyedSignature signature = keys.currentSigner().sign(DATA);

      assertThat(signature.keyId()).isEqualTo(direct.keyId());
      assertThat(signature.algorithm()).isEqualTo(Signatures.ES256);
      new EcdsaVerifier(direct.publicKey()).verify(signature.der(), DATA);
      published.verifier().verify(signature.der(), DATA);
      keys.verify(signature, DATA);
      byte[] tampered = DATA.clone();
      tampered[0] ^= 1;
      assertThatThrownBy(() -> keys.verify(signature, tampered)).isInstanceOf(GeneralSecurityException.class);
    }
  }

  @Test
  void previousKeys_arePublishedRetiredAtTheirTime_andOnlyTheCurrentKeySigns() throws Exception {
    String old = kms.createSigningKey();
    String older = kms.createSigningKey();
    String current = kms.createSigningKey();
    Instant retired = Instant.parse("2026-02-01T09:30:00Z");
    Instant olderRetired = Instant.parse("2026-02-01T08:31:00.500Z"); // published rounded up
    Clock now = Clock.fixed(CREATED.plusSeconds(7_200), ZoneOffset.UTC);

    try (KmsSigningKeys keys =
        KmsSigningKeys.connect(
            current,
            REGION,
            fake.uri(),
            List.of(new KmsSigningKeys.PreviousKey(old, retired), new KmsSigningKeys.PreviousKey(older, olderRetired)),
            now)) {
      KmsSigner oldSigner = KmsSigner.create(kms, old);
      assertThat(keys.publicKeys())
          .extracting(PublicKeyInfo::keyId)
          .containsExactly(
              KmsSigner.create(kms, current).keyId(), oldSigner.keyId(), KmsSigner.create(kms, older).keyId());
      assertThat(keys.publicKeys().get(0).isRetired()).isFalse();
      PublicKeyInfo previous = keys.publicKeys().get(1);
      assertThat(previous.retiredAt()).isEqualTo(retired);
      assertThat(previous.notBefore()).isEqualTo(Instant.parse("2026-02-01T08:30:17Z"));
      assertThat(previous.publicKey()).isEqualTo(oldSigner.publicKey());
      assertThat(keys.publicKeys().get(2).retiredAt()).isEqualTo(Instant.parse("2026-02-01T08:31:01Z"));

      KeyedSignature signature = keys.currentSigner().sign(DATA);
      assertThat(signature.keyId()).isEqualTo(keys.publicKeys().get(0).keyId());
      // what the old key signed before it was retired still verifies through the directory
      KeyedSignature byOld = oldSigner.sign(DATA);
      keys.verify(byOld, DATA);
    }
    assertThat(kms.signRequests()).extracting(r -> r.keyId()).containsExactly(current, old);
  }

  @Test
  void previousKeys_arePublishedNewestFirst_inWhateverOrderTheyAreConfigured() throws Exception {
    String older = kms.createSigningKey();
    String old = kms.createSigningKey();
    String current = kms.createSigningKey();
    Clock now = Clock.fixed(CREATED.plusSeconds(7_200), ZoneOffset.UTC);
    try (KmsSigningKeys keys =
        connect(
            current,
            now,
            new KmsSigningKeys.PreviousKey(older, CREATED.plusSeconds(60)),
            new KmsSigningKeys.PreviousKey(old, CREATED.plusSeconds(3_600)))) {
      // VerificationKeys#publicKeys and docs/proof-of-mandate.md §6: current, then retired newest first
      assertThat(keys.publicKeys())
          .extracting(PublicKeyInfo::keyId)
          .containsExactly(
              KmsSigner.create(kms, current).keyId(),
              KmsSigner.create(kms, old).keyId(),
              KmsSigner.create(kms, older).keyId());
    }
  }

  @Test
  void previousKeys_thatAreNotPrevious_orRetiredLaterThanNow_keepTheKeysFromConnecting() throws Exception {
    String old = kms.createSigningKey();
    String current = kms.createSigningKey();
    Clock now = Clock.fixed(CREATED.plusSeconds(7_200), ZoneOffset.UTC);
    Instant past = CREATED.plusSeconds(60);

    assertThatThrownBy(() -> connect(current, now, new KmsSigningKeys.PreviousKey(current, past)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is the current key");
    String bare = current.substring(current.indexOf(":key/") + ":key/".length());
    assertThatThrownBy(() -> connect(current, now, new KmsSigningKeys.PreviousKey(bare, past)))
        .as("the same key by another name")
        .hasMessageContaining("is the current key");
    assertThatThrownBy(
            () -> connect(
                current, now, new KmsSigningKeys.PreviousKey(old, past), new KmsSigningKeys.PreviousKey(old, past)))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> connect(current, now, new KmsSigningKeys.PreviousKey(old, CREATED.plusSeconds(7_201))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("later than now");
    assertThatThrownBy(() -> connect(current, now, new KmsSigningKeys.PreviousKey(old, CREATED.minusSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before it was created");
    assertThatThrownBy(() -> connect(current, now, new KmsSigningKeys.PreviousKey("alias/gone", past)))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("alias/gone");
    // and with the previous key as it should be, the same keys connect
    try (KmsSigningKeys keys = connect(current, now, new KmsSigningKeys.PreviousKey(old, past))) {
      assertThat(keys.publicKeys()).hasSize(2);
    }
  }

  private KmsSigningKeys connect(String current, Clock now, KmsSigningKeys.PreviousKey... previous)
      throws SigningException {
    return KmsSigningKeys.connect(current, REGION, fake.uri(), List.of(previous), now);
  }

  @Test
  void sign_sendsA32ByteSha256DigestWithMessageTypeDigest_onTheWire() throws Exception {
    String arn = kms.createSigningKey();
    try (KmsSigningKeys keys = KmsSigningKeys.connect(arn, REGION, fake.uri())) {
      keys.currentSigner().sign(DATA);
      keys.currentSigner().sign(new byte[1 << 16]);
    }

    List<KmsHttpFake.Received> signs = fake.requests("Sign");
    assertThat(signs).hasSize(2);
    for (KmsHttpFake.Received sign : signs) {
      assertThat(sign.status()).isEqualTo(200);
      assertThat(sign.body().get("MessageType").asText()).isEqualTo("DIGEST");
      assertThat(sign.body().get("SigningAlgorithm").asText()).isEqualTo("ECDSA_SHA_256");
      assertThat(sign.body().get("KeyId").asText()).isEqualTo(arn);
      assertThat(Base64.getDecoder().decode(sign.body().get("Message").asText())).hasSize(32);
      assertThat(sign.response().get("KeyId").asText()).isEqualTo(arn);
    }
    assertThat(Base64.getDecoder().decode(signs.get(0).body().get("Message").asText()))
        .isEqualTo(Signatures.sha256(DATA));
    assertThat(Base64.getDecoder().decode(signs.get(1).body().get("Message").asText()))
        .isEqualTo(Signatures.sha256(new byte[1 << 16]));
    assertThat(kms.signRequests()).hasSize(2);
  }

  @Test
  void everyRequest_isSigV4SignedJson11_withTheTargetOperation() throws Exception {
    String arn = kms.createSigningKey();
    try (KmsSigningKeys keys = KmsSigningKeys.connect(arn, REGION, fake.uri())) {
      keys.currentSigner().sign(DATA);
    }

    assertThat(fake.requests()).extracting(KmsHttpFake.Received::operation)
        .containsExactly("GetPublicKey", "DescribeKey", "Sign");
    assertThat(fake.requestCount("GetPublicKey")).isEqualTo(1);
    assertThat(fake.requestCount("DescribeKey")).isEqualTo(1);
    assertThat(fake.requestCount("Sign")).isEqualTo(1);
    for (KmsHttpFake.Received r : fake.requests()) {
      assertThat(r.status()).as(r.operation() + " " + r.response()).isEqualTo(200);
      assertThat(r.header("Authorization"))
          .startsWith("AWS4-HMAC-SHA256 Credential=" + KmsHttpFake.ACCESS_KEY_ID + "/")
          .contains("/" + REGION + "/kms/aws4_request")
          .contains("SignedHeaders=")
          .contains("x-amz-target");
      assertThat(r.header("X-Amz-Target")).isEqualTo("TrentService." + r.operation());
      assertThat(r.header("Content-Type")).startsWith("application/x-amz-json-1.1");
      assertThat(r.header("Host")).isEqualTo(fake.uri().getAuthority());
    }
  }

  @Test
  void theWireMemberNames_areTheSdkModelsLocationNames() throws Exception {
    String arn = kms.createSigningKey();
    try (KmsSigningKeys keys = KmsSigningKeys.connect(arn, REGION, fake.uri())) {
      keys.currentSigner().sign(DATA);
    }

    KmsHttpFake.Received getPublicKey = fake.requests("GetPublicKey").get(0);
    KmsHttpFake.Received describeKey = fake.requests("DescribeKey").get(0);
    KmsHttpFake.Received sign = fake.requests("Sign").get(0);
    assertThat(names(getPublicKey.body())).isSubsetOf(locationNames(GetPublicKeyRequest.builder().build())).contains("KeyId");
    assertThat(names(describeKey.body())).isSubsetOf(locationNames(DescribeKeyRequest.builder().build())).contains("KeyId");
    assertThat(names(sign.body())).isSubsetOf(locationNames(SignRequest.builder().build()))
        .contains("KeyId", "Message", "MessageType", "SigningAlgorithm");

    assertThat(names(getPublicKey.response()))
        .isSubsetOf(locationNames(GetPublicKeyResponse.builder().build()))
        .contains("KeyId", "PublicKey", "KeySpec", "KeyUsage", "SigningAlgorithms");
    assertThat(names(describeKey.response()))
        .isSubsetOf(locationNames(DescribeKeyResponse.builder().build()))
        .containsExactly("KeyMetadata");
    JsonNode metadata = describeKey.response().get("KeyMetadata");
    assertThat(names(metadata))
        .isSubsetOf(locationNames(KeyMetadata.builder().build()))
        .contains("Arn", "KeyId", "CreationDate", "KeySpec", "KeyUsage", "KeyState", "SigningAlgorithms", "AWSAccountId");
    assertThat(metadata.get("CreationDate").isNumber()).isTrue();
    assertThat(metadata.get("CreationDate").decimalValue())
        .isEqualByComparingTo(new java.math.BigDecimal("1769934617.25"));
    assertThat(names(sign.response()))
        .isSubsetOf(locationNames(SignResponse.builder().build()))
        .containsExactlyInAnyOrder("KeyId", "Signature", "SigningAlgorithm");
  }

  @Test
  void connect_byBareKeyId_pinsTheArnKmsAnswersWith() throws Exception {
    String arn = kms.createSigningKey();
    String bare = arn.substring(arn.indexOf(":key/") + ":key/".length());

    try (KmsSigningKeys keys = KmsSigningKeys.connect(bare, REGION, fake.uri())) {
      assertThat(keys.kmsKeyArn()).isEqualTo(arn);
      keys.currentSigner().sign(DATA);
    }
    // Sign names the pinned ARN, not the configured bare id
    assertThat(fake.requests("Sign").get(0).body().get("KeyId").asText()).isEqualTo(arn);
  }

  @Test
  void missingKey_isASigningExceptionNamingTheKey_withTheSdksNotFoundException() {
    kms.createSigningKey();
    String missing = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000";

    assertThatThrownBy(() -> KmsSigningKeys.connect(missing, REGION, fake.uri()))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining(missing)
        .hasCauseInstanceOf(NotFoundException.class);
    assertThat(fake.requests()).singleElement().satisfies(r -> {
      assertThat(r.operation()).isEqualTo("GetPublicKey");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.response().get("__type").asText()).isEqualTo("NotFoundException");
    });
  }

  @Test
  void wrongSecretKey_failsSigV4AtTheEndpoint_andIsASigningException() {
    String arn = kms.createSigningKey();

    try (KmsHttpFake.CredentialsOverride wrong =
        KmsHttpFake.useCredentials(KmsHttpFake.ACCESS_KEY_ID, "not-the-secret-the-fake-knows")) {
      assertThatThrownBy(() -> KmsSigningKeys.connect(arn, REGION, fake.uri()))
          .isInstanceOf(SigningException.class)
          .cause()
          .isInstanceOfSatisfying(KmsException.class, e ->
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
    }
    assertThat(fake.requests()).isNotEmpty()
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(400));
    assertThat(kms.signRequests()).isEmpty();
  }

  @Test
  void serviceUnavailable_503_isASigningException_afterTheSdksRetries() {
    String arn = kms.createSigningKey();
    fake.setMode(KmsHttpFake.Mode.SERVICE_UNAVAILABLE);

    assertThatThrownBy(() -> KmsSigningKeys.connect(arn, REGION, fake.uri()))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining(arn)
        .cause()
        .isInstanceOfSatisfying(KmsException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailableException");
        });
    assertThat(fake.requestCount("GetPublicKey")).as("the SDK retries a 503").isGreaterThan(1);
    assertThat(fake.requestCount("DescribeKey")).isZero();
  }

  @Test
  void droppedConnections_areASigningException_withTheSdkClientException() {
    String arn = kms.createSigningKey();
    fake.setMode(KmsHttpFake.Mode.DROP_CONNECTIONS);

    assertThatThrownBy(() -> KmsSigningKeys.connect(arn, REGION, fake.uri()))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining(arn)
        .hasCauseInstanceOf(SdkClientException.class);
    assertThat(fake.requests("GetPublicKey")).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(-1));
  }

  @Test
  void unreachableEndpoint_isASigningException() {
    String arn = kms.createSigningKey();
    URI endpoint = fake.uri();
    fake.close();

    assertThatThrownBy(() -> KmsSigningKeys.connect(arn, REGION, endpoint))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining(arn)
        .hasCauseInstanceOf(SdkClientException.class);
  }

  @Test
  void signWhileKmsIsUnavailable_isASigningException_andTheSignerRecoversAfterwards() throws Exception {
    String arn = kms.createSigningKey();
    try (KmsSigningKeys keys = KmsSigningKeys.connect(arn, REGION, fake.uri())) {
      fake.setMode(KmsHttpFake.Mode.SERVICE_UNAVAILABLE);
      assertThatThrownBy(() -> keys.currentSigner().sign(DATA))
          .isInstanceOf(SigningException.class)
          .hasMessageContaining(arn)
          .hasCauseInstanceOf(KmsException.class);
      kms.setAvailable(false);
      fake.setMode(KmsHttpFake.Mode.AVAILABLE);
      assertThatThrownBy(() -> keys.currentSigner().sign(DATA))
          .isInstanceOf(SigningException.class)
          .hasCauseInstanceOf(SdkClientException.class);
      kms.setAvailable(true);

      KeyedSignature signature = keys.currentSigner().sign(DATA);

      keys.verify(signature, DATA);
    }
  }

  @Test
  void aTransientKmsInternalError_isRetriedByTheSdk_aPersistentOneIsASigningException() throws Exception {
    String arn = kms.createSigningKey();
    try (KmsSigningKeys keys = KmsSigningKeys.connect(arn, REGION, fake.uri())) {
      kms.failNextCalls(1);
      KeyedSignature signature = keys.currentSigner().sign(DATA);
      keys.verify(signature, DATA);
      List<KmsHttpFake.Received> signs = fake.requests("Sign");
      assertThat(signs).extracting(KmsHttpFake.Received::status).containsExactly(500, 200);
      assertThat(signs.get(0).response().get("__type").asText()).isEqualTo("KMSInternalException");

      kms.failNextCalls(1000);
      assertThatThrownBy(() -> keys.currentSigner().sign(DATA))
          .isInstanceOf(SigningException.class)
          .hasCauseInstanceOf(KmsInternalException.class);
      kms.failNextCalls(0);
    }
  }

  @Test
  void close_closesTheSdkClient() throws Exception {
    String arn = kms.createSigningKey();
    KmsSigningKeys keys = KmsSigningKeys.connect(arn, REGION, fake.uri());
    keys.currentSigner().sign(DATA);
    int signsBefore = fake.requestCount("Sign");

    keys.close();

    // The closed client refuses the call before anything is sent (its timer pool or its connection
    // pool is shut down); the signer reports that as a SigningException, like any failed call.
    Throwable thrown = catchThrowable(() -> keys.currentSigner().sign(DATA));
    assertThat(thrown).isInstanceOf(SigningException.class).hasMessageContaining("KMS Sign failed");
    assertThat(fake.requestCount("Sign")).isEqualTo(signsBefore);
  }

  @Test
  void theFake_refusesUnsignedRequests_soThePassingTestsShowSigV4() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(fake.uri().resolve("/"))
            .header("Content-Type", KmsHttpFake.CONTENT_TYPE)
            .header("X-Amz-Target", "TrentService.GetPublicKey")
            .POST(HttpRequest.BodyPublishers.ofString("{\"KeyId\":\"" + kms.createSigningKey() + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"__type\":\"MissingAuthenticationTokenException\"");
    assertThat(fake.requests("GetPublicKey")).singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(400));
  }



  private static Set<String> names(JsonNode object) {
    assertThat(object).isNotNull();
    assertThat(object.isObject()).as(object.toString()).isTrue();
    Set<String> names = new HashSet<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static Set<String> locationNames(SdkPojo pojo) {
    return pojo.sdkFields().stream().map(SdkField::locationName).collect(Collectors.toSet());
  }
}
