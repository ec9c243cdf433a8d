package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.crypto.KeyIds;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.crypto.kms.InMemoryKmsClient;
import com.mandateregistry.crypto.kms.KmsHttpFake;
import com.mandateregistry.crypto.kms.KmsSigner;
import com.mandateregistry.crypto.kms.KmsSigningKeys;
import com.mandateregistry.crypto.sdjwt.IndependentSdJwtVerifier;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.MerkleProof;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * The service with {@code mandate-registry.signing.provider=kms}, wired as in production: {@code
 * SigningConfig} builds {@code KmsSigningKeys}, i.e. the AWS SDK's own {@code KmsClient} (default
 * credentials chain, SigV4, JSON 1.1, endpoint override), which talks HTTP to {@link KmsHttpFake}
 * (backed by the {@link InMemoryKmsClient}) because LocalStack cannot run here.
 */
class KmsProviderIT {

  private static final String REGION = "eu-west-1";

  private KmsHttpFake.CredentialsOverride credentials;
  private InMemoryKmsClient kms;
  private KmsHttpFake fake;

  @BeforeEach
  void startKms() {
    credentials = KmsHttpFake.useDummyCredentials();
    kms = new InMemoryKmsClient(Clock.systemUTC());
    fake = KmsHttpFake.start(kms);
  }

  @AfterEach
  void stopKms() {
    fake.close();
    credentials.close();
  }

  private Map<String, Object> kmsProperties(String keyId) {
    return Map.of(
        "mandate-registry.signing.provider", "kms",
        "mandate-registry.signing.kms.key-id", keyId,
        "mandate-registry.signing.kms.region", REGION,
        "mandate-registry.signing.kms.endpoint-override", fake.uri());
  }

  @Test
  void theLedger_isSignedByTheKmsKey_overTheSdkClient_oneDigestSignPerEntry() throws Exception {
    String arn = kms.createSigningKey();
    PublicKey kmsPublicKey = KmsSigner.create(kms, arn).publicKey();
    String thumbprint = KeyIds.thumbprint(kmsPublicKey);
    TestInfrastructure infra = TestInfrastructure.get();

    TestApp app = TestApp.start(infra.newDatabase(), infra.newTopic(), kmsProperties(arn));
    SigningKeys signingKeys = app.bean(SigningKeys.class);
    try {
      assertThat(signingKeys).isInstanceOf(KmsSigningKeys.class);
      assertThat(((KmsSigningKeys) signingKeys).kmsKeyArn()).isEqualTo(arn);
      assertThat(fake.requests("GetPublicKey")).singleElement()
          .satisfies(r -> assertThat(r.body().get("KeyId").asText()).isEqualTo(arn));
      assertThat(fake.requestCount("DescribeKey")).isEqualTo(1);

      TestApp.Tenant tenant = app.newTenant();
      String mandateId = MandateLifecycleIT.createOn(app, tenant);
      List<JsonNode> events = AuditTrailIT.awaitEvents(app, tenant, 3);

      assertThat(events).extracting(e -> e.get("event_type").asText())
          .containsExactly("TENANT_REGISTERED", "API_KEY_ISSUED", "MANDATE_CREATED");
      assertThat(events.get(2).get("mandate_id").asText()).isEqualTo(mandateId);
      for (JsonNode e : events) {
        assertThat(e.get("key_id").asText()).as("key_id of %s", e.get("event_type")).isEqualTo(thumbprint);
        assertThat(e.get("signing_algorithm").asText()).isEqualTo("ES256-MERKLE");
        // the signature covers the statement of the root the entry's proof leads to (format v2)
        byte[] digest = statementDigest(e);
        byte[] der = Base64.getUrlDecoder().decode(e.get("kms_signature").asText());
        assertThat(verifiesDigest(kmsPublicKey, digest, der)).as("signature of %s", e.get("event_type")).isTrue();
        digest[31] ^= 1;
        assertThat(verifiesDigest(kmsPublicKey, digest, der)).as("over another digest").isFalse();
      }

      // exactly one KMS Sign per batch, over HTTP: a 32-byte DIGEST of the batch's statement
      List<KmsHttpFake.Received> signs = fake.requests("Sign");
      assertThat(signs).allSatisfy(r -> {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("KeyId").asText()).isEqualTo(arn);
        assertThat(r.body().get("MessageType").asText()).isEqualTo("DIGEST");
        assertThat(r.body().get("SigningAlgorithm").asText()).isEqualTo("ECDSA_SHA_256");
        assertThat(Base64.getDecoder().decode(r.body().get("Message").asText())).hasSize(32);
      });
      assertThat(signs).extracting(r -> HexFormat.of().formatHex(Base64.getDecoder().decode(r.body().get("Message").asText())))
          .containsExactlyInAnyOrderElementsOf(events.stream().map(e -> e.get("kms_signature").asText())
              .distinct().map(signature -> events.stream()
                  .filter(e -> e.get("kms_signature").asText().equals(signature)).findFirst().orElseThrow())
              .map(e -> HexFormat.of().formatHex(statementDigest(e))).toList());
      assertThat(fake.requests()).isNotEmpty().allSatisfy(r -> {
        assertThat(r.header("Authorization"))
            .startsWith("AWS4-HMAC-SHA256 Credential=" + KmsHttpFake.ACCESS_KEY_ID + "/")
            .contains("/" + REGION + "/kms/aws4_request");
        assertThat(r.header("X-Amz-Target")).isEqualTo("TrentService." + r.operation());
      });

      Api.Response keys = app.api.get(null, "/v1/ledger/keys");
      assertThat(keys.status()).isEqualTo(200);
      assertThat(keys.body().get("keys")).hasSize(1);
      JsonNode jwk = keys.body().get("keys").get(0);
      assertThat(jwk.get("kid").asText()).isEqualTo(thumbprint);
      assertThat(jwk.get("kty").asText()).isEqualTo("EC");
      assertThat(jwk.get("crv").asText()).isEqualTo("P-256");
      assertThat(jwk.get("alg").asText()).isEqualTo("ES256");
      assertThat(jwk.has("d")).isFalse();
      Map<String, Object> expected = KmsSigner.create(kms, arn).publicKeyInfo().toJwkJson();
      assertThat(jwk.get("x").asText()).isEqualTo(expected.get("x"));
      assertThat(jwk.get("y").asText()).isEqualTo(expected.get("y"));
    } finally {
      app.close();
    }

    // shutting the service down closes the SDK client (SigningConfig's bean is AutoCloseable):
    // the signer can no longer reach KMS, and nothing more is sent
    int signs = fake.requestCount("Sign");
    Throwable afterShutdown = catchThrowable(() -> signingKeys.currentSigner().sign(new byte[] {1}));
    assertThat(afterShutdown).isInstanceOf(SigningException.class).hasMessageContaining("KMS Sign failed");
    assertThat(fake.requestCount("Sign")).isEqualTo(signs);
  }

  @Test
  void aProofKmsCannotSign_is503_recordsNothing_andGivesBackTheUseTheDecisionTook() {
    String arn = kms.createSigningKey();
    TestInfrastructure infra = TestInfrastructure.get();
    try (TestApp app = TestApp.start(infra.newDatabase(), infra.newTopic(), kmsProperties(arn))) {
      TestApp.Tenant tenant = app.newTenant();
      Api.Response created = app.api.post(tenant, "/v1/mandates", """
          {"principal": {"type": "natural_person", "subject_id": "monco:user:max"},
           "delegate": {"type": "ai_agent", "subject_id": "monco:agent:kms"},
           "scope": {"actions": ["construction.validation.*"], "resources": ["monco:project:p1/**"]},
           "constraints": {"rate_limit": {"max_uses": 2, "period": "P36500D"}}}
          """);
      assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
      String request = VerificationIT.body("monco:agent:kms", "{}");
      JsonNode first = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> app.api.post(tenant, "/v1/verify", request),
              r -> r.status() == 200 && r.body().get("decision").asText().equals("ALLOW"))
          .body();
      assertThat(first.get("constraints_remaining").get("uses_remaining").asLong()).isEqualTo(1);
      String mandateId = first.get("mandate_id").asText();

      kms.setAvailable(false);
      Api.Response unsigned;
      try {
        unsigned = app.api.post(tenant, "/v1/verify?pom=sd-jwt-vc", request);
      } finally {
        kms.setAvailable(true);
      }
      assertThat(unsigned.status()).as(unsigned.raw().body()).isEqualTo(503);
      assertThat(unsigned.body().get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");

      // the use the refused decision took was given back: the second use is still there
      Api.Response proved = app.api.post(tenant, "/v1/verify?pom=sd-jwt-vc", request);
      assertThat(proved.status()).as(proved.raw().body()).isEqualTo(200);
      assertThat(proved.body().get("decision").asText()).isEqualTo("ALLOW");
      assertThat(proved.body().get("constraints_remaining").get("uses_remaining").asLong()).isZero();
      assertThat(proved.body().get("proof_of_mandate").get("credential").asText()).contains("~");
      // and the trail holds the two ALLOWs, nothing of the 503
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
          assertThat(AuditTrailIT.allEvents(app, tenant, "/v1/mandates/" + mandateId + "/events"))
              .extracting(e -> e.get("event_type").asText())
              .containsExactly("MANDATE_CREATED", "VERIFICATION_ALLOWED", "VERIFICATION_ALLOWED"));
    }
  }

  /**
   * A change of KMS key, as README's "Configuration" describes it: every node stopped, the new key
   * configured and the old one named in {@code previous-keys} with when it stopped signing. A
   * proof the old key signed before the change still resolves in the DID document and verifies,
   * the ledger's key table has the old key retired at that time, and new entries are signed by the
   * new key.
   */
  @Test
  void aChangeOfKey_keepsTheOldKeysProofsResolvable_andRetiresItInTheLedger() throws Exception {
    String oldArn = kms.createSigningKey();
    String newArn = kms.createSigningKey();
    String oldKeyId = KmsSigner.create(kms, oldArn).keyId();
    String newKeyId = KmsSigner.create(kms, newArn).keyId();
    TestInfrastructure infra = TestInfrastructure.get();
    String db = infra.newDatabase();
    String topic = infra.newTopic();

    TestApp.Tenant tenant;
    String oldProof;
    int signedByOld;
    try (TestApp app = TestApp.start(db, topic, kmsProperties(oldArn))) {
      tenant = app.newTenant();
      MandateLifecycleIT.createOn(app, tenant);
      JsonNode allowed =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> app.api.post(tenant, ProofOfMandateIT.POM, ProofOfMandateIT.PERMITTED),
                  r -> r.status() == 200 && r.body().get("decision").asText().equals("ALLOW"))
              .body();
      oldProof = allowed.at("/proof_of_mandate/credential").asText();
      signedByOld = awaitTrailWith(app, tenant, allowed.get("event_id").asText()).size();
    }
    Instant retiredAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    Map<String, Object> changed = new HashMap<>(kmsProperties(newArn));
    changed.put("mandate-registry.signing.kms.previous-keys[0].key-id", oldArn);
    changed.put("mandate-registry.signing.kms.previous-keys[0].retired-at", retiredAt.toString());
    try (TestApp app = TestApp.start(db, topic, changed)) {
      JsonNode document = app.api.get(null, "/.well-known/did.json").body();
      String did = document.get("id").asText();
      assertThat(document.get("verificationMethod")).extracting(m -> m.get("id").asText())
          .containsExactly(did + "#" + newKeyId, did + "#" + oldKeyId);
      assertThat(document.get("authentication")).extracting(JsonNode::asText).containsExactly(did + "#" + newKeyId);
      assertThat(document.get("assertionMethod")).extracting(JsonNode::asText).contains(did + "#" + oldKeyId);
      IndependentSdJwtVerifier.Verified verified =
          IndependentSdJwtVerifier.verify(oldProof, ProofOfMandateIT.resolver(document), Instant.now());
      assertThat(verified.claims()).containsEntry("decision", "ALLOW");

      JsonNode keys = app.api.get(null, "/v1/ledger/keys").body().get("keys");
      assertThat(keys).extracting(k -> k.get("kid").asText()).containsExactlyInAnyOrder(oldKeyId, newKeyId);
      for (JsonNode key : keys) {
        if (key.get("kid").asText().equals(oldKeyId)) {
          assertThat(key.get("exp").asLong()).isEqualTo(retiredAt.getEpochSecond());
        } else {
          assertThat(key.has("exp")).as("the new key is current").isFalse();
        }
      }

      String decided =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> app.api.post(tenant, "/v1/verify", ProofOfMandateIT.PERMITTED), r -> r.status() == 200)
              .body()
              .get("event_id")
              .asText();
      List<JsonNode> trail = awaitTrailWith(app, tenant, decided);
      assertThat(trail.subList(0, signedByOld)).extracting(e -> e.get("key_id").asText()).containsOnly(oldKeyId);
      assertThat(trail.subList(signedByOld, trail.size())).extracting(e -> e.get("key_id").asText())
          .isNotEmpty()
          .containsOnly(newKeyId);

      // the whole trail, both keys' entries, verifies offline against the keys its export carries
      assertTrailExportsAndVerifies(app, tenant, "--expect-count", String.valueOf(trail.size()));
    }

    // named without the time it stopped signing, it keeps the service from starting
    Map<String, Object> incomplete = new HashMap<>(kmsProperties(newArn));
    incomplete.put("mandate-registry.signing.kms.previous-keys[0].key-id", oldArn);
    Throwable failure = catchThrowable(() -> TestApp.start(db, topic, incomplete).close());
    assertThat(ExceptionUtils.getThrowableList(failure))
        .anySatisfy(e -> assertThat(e.getMessage()).contains("previous-keys[0] needs key-id and retired-at"));
  }

  /**
   * A {@code retired-at} earlier than an entry the old key signed would be written for good into the
   * ledger's key table (a retirement is set once) and make that genuine entry fail verification
   * (KEY_RETIRED): the service refuses to start instead, naming the time needed.
   */
  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void aRetiredAtBeforeTheOldKeysLastEntry_keepsTheServiceFromStarting_andChangesNothing(CapturedOutput output)
      throws Exception {
    String oldArn = kms.createSigningKey();
    Instant tooEarly = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
    String newArn = kms.createSigningKey();
    String oldKeyId = KmsSigner.create(kms, oldArn).keyId();
    TestInfrastructure infra = TestInfrastructure.get();
    String db = infra.newDatabase();
    String topic = infra.newTopic();
    TestApp.Tenant tenant;
    try (TestApp app = TestApp.start(db, topic, kmsProperties(oldArn))) {
      tenant = app.newTenant();
      MandateLifecycleIT.createOn(app, tenant);
      AuditTrailIT.awaitEvents(app, tenant, 3);
    }
    Map<String, Object> changed = new HashMap<>(kmsProperties(newArn));
    changed.put("mandate-registry.signing.kms.previous-keys[0].key-id", oldArn);
    changed.put("mandate-registry.signing.kms.previous-keys[0].retired-at", tooEarly.toString());
    Throwable failure = catchThrowable(() -> TestApp.start(db, topic, changed).close());
    assertThat(ExceptionUtils.getThrowableList(failure))
        .anySatisfy(e -> assertThat(e.getMessage()).contains("cannot be retired at " + tooEarly));

    // not named at all, the old key stays current in the ledger's table: the start warns (read
    // from the output: Spring Boot resets Logback at every start, dropping appenders added before)
    int before = output.getOut().length();
    TestApp.start(db, topic, kmsProperties(newArn)).close();
    assertThat(output.getOut().substring(before))
        .contains("ledger signing key " + oldKeyId + " is not retired, but the signing key directory no longer has it");

    // with a time after its last entry it starts, and the whole trail verifies
    Instant retiredAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    changed.put("mandate-registry.signing.kms.previous-keys[0].retired-at", retiredAt.toString());
    try (TestApp app = TestApp.start(db, topic, changed)) {
      assertThat(app.api.get(null, "/v1/ledger/keys").body().get("keys"))
          .filteredOn(key -> key.get("kid").asText().equals(oldKeyId))
          .singleElement()
          .satisfies(key -> assertThat(key.get("exp").asLong()).isEqualTo(retiredAt.getEpochSecond()));
      assertTrailExportsAndVerifies(app, tenant);
    }
  }

  /**
   * Exports the tenant's trail with the compliance CLI and verifies it offline against the keys the
   * export carries ({@code verifyOptions} added to {@code verify}).
   */
  private static void assertTrailExportsAndVerifies(TestApp app, TestApp.Tenant tenant, String... verifyOptions)
      throws Exception {
    Path exported = Files.createTempFile("kms-key-change", ".jsonl");
    try {
      AuditTrailIT.Run export = AuditTrailIT.cli("export", "--tenant", tenant.id(), "--api", app.api.base,
          "--api-key", tenant.apiKey(), "-o", exported.toString());
      assertThat(export.exit()).as(export.err()).isZero();
      List<String> verifyArgs = new ArrayList<>(List.of("verify", exported.toString()));
      verifyArgs.addAll(List.of(verifyOptions));
      AuditTrailIT.Run verify = AuditTrailIT.cli(verifyArgs.toArray(String[]::new));
      assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    } finally {
      Files.deleteIfExists(exported);
    }
  }

  /** Polls the tenant's trail until it holds the event {@code eventId}; returns it whole. */
  private static List<JsonNode> awaitTrailWith(TestApp app, TestApp.Tenant tenant, String eventId) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> AuditTrailIT.allEvents(app, tenant, "/v1/events"),
            events -> events.stream().anyMatch(e -> e.get("event_id").asText().equals(eventId)));
  }

  @Test
  void aKmsKeyIdThatDoesNotExist_keepsTheServiceFromStarting() {
    kms.createSigningKey();
    TestInfrastructure infra = TestInfrastructure.get();

    Throwable failure = catchThrowable(() ->
        TestApp.start(infra.newDatabase(), infra.newTopic(), kmsProperties("alias/does-not-exist")).close());

    assertThat(failure).as("the service must not start").isNotNull();
    List<Throwable> chain = ExceptionUtils.getThrowableList(failure);
    assertThat(chain).filteredOn(SigningException.class::isInstance).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getMessage()).contains("alias/does-not-exist"));
    assertThat(chain).anySatisfy(e -> assertThat(e).isInstanceOf(NotFoundException.class));
    assertThat(fake.requests("GetPublicKey")).singleElement().satisfies(r -> {
      assertThat(r.body().get("KeyId").asText()).isEqualTo("alias/does-not-exist");
      assertThat(r.status()).isEqualTo(400);
    });
    assertThat(fake.requestCount("Sign")).isZero();
  }

  /** Raw ECDSA over a 32-byte digest, as KMS signs with {@code MessageType=DIGEST}. */
  /** SHA-256 of the batch statement that {@code entry}'s merkle_proof leads to. */
  private static byte[] statementDigest(JsonNode entry) {
    try {
      MerkleProof proof = MerkleProof.fromObject(entry.get("merkle_proof"));
      byte[] root = proof.root(entry.get("event_hash").asText());
      assertThat(root).as("merkle_proof of %s leads to a root", entry.get("event_type")).isNotNull();
      return LedgerFormat.sha256(LedgerFormat.batchStatement(proof.treeSize(), root));
    } catch (com.mandateregistry.ledger.format.MalformedEntryException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean verifiesDigest(PublicKey key, byte[] digest, byte[] der) throws Exception {
    Signature verifier = Signature.getInstance("NONEwithECDSA");
    verifier.initVerify(key);
    verifier.update(digest);
    return verifier.verify(der);
  }
}
