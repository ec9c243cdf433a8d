package com.mandateregistry.crypto.sdjwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.crypto.Signatures;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Credentials issued by {@link SdJwtVcIssuer} (authlete's SD-JWT library, Nimbus JWS) verify with
 * {@link IndependentSdJwtVerifier}, an implementation written from RFC 9901 that shares no code
 * with it.
 */
class IndependentVerificationTest {

  private static final String DID = "did:web:registry.example";
  private static final Instant IAT = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = IAT.plusSeconds(10);

  private final JcaTestSigner signer = new JcaTestSigner();
  private final ECKey jwk = signer.publicKeyInfo(IAT).toJwk();
  private final Function<String, ECKey> keys = kid -> kid.equals(DID + "#" + signer.keyId()) ? jwk : null;

  private SdJwtVc issue() throws Exception {
    Map<String, Object> principal = new LinkedHashMap<>();
    principal.put("type", "natural_person");
    principal.put("subject_id", "monco:user:max");
    Map<String, Object> disclosable = new LinkedHashMap<>();
    disclosable.put("tenant_id", "tnt_01J8Z3QW5V6X7Y8Z9A0B1C2D3E");
    disclosable.put("principal", principal);
    disclosable.put("constraints", Map.of("max_amount", Map.of("amount", 1000, "currency", "EUR")));
    return new SdJwtVcIssuer(DID, () -> signer, SaltSource.secureRandom(), 2)
        .issue(new SdJwtVcClaims("https://mandate-registry.dev/vct/proof-of-mandate/v1", IAT,
            IAT.plusSeconds(300), Map.of("decision", "ALLOW"), disclosable));
  }

  @Test
  void theVerifiersDigest_matchesRfc9901sExample() {
    // RFC 9901 section 4.2.3 (a disclosure with spaces, as the RFC shows it)
    assertThat(IndependentSdJwtVerifier.sha256Base64url(
            "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0"))
        .isEqualTo("X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0");
  }

  @Test
  void anIssuedCredential_verifies_andRevealsEveryClaim() throws Exception {
    SdJwtVc vc = issue();

    IndependentSdJwtVerifier.Verified verified = IndependentSdJwtVerifier.verify(vc.compact(), keys, NOW);

    assertThat(verified.header()).containsEntry("typ", "dc+sd-jwt").containsEntry("kid", vc.keyId());
    assertThat(verified.disclosed()).containsExactly("tenant_id", "principal", "constraints");
    assertThat(verified.claims())
        .containsEntry("iss", DID)
        .containsEntry("decision", "ALLOW")
        .containsEntry("tenant_id", "tnt_01J8Z3QW5V6X7Y8Z9A0B1C2D3E")
        .containsEntry("principal", Map.of("type", "natural_person", "subject_id", "monco:user:max"))
        .doesNotContainKeys("_sd", "_sd_alg");
  }

  @Test
  void aSubsetPresentation_verifies_andRevealsOnlyThatClaim() throws Exception {
    SdJwtVc vc = issue();

    IndependentSdJwtVerifier.Verified verified =
        IndependentSdJwtVerifier.verify(vc.present(List.of("principal")), keys, NOW);

    assertThat(verified.disclosed()).containsExactly("principal");
    assertThat(verified.claims()).containsKey("principal").doesNotContainKeys("tenant_id", "constraints");
  }

  @Test
  void aTamperedDisclosure_isRejected() throws Exception {
    SdJwtVc vc = issue();
    String original = vc.disclosures().get(0).disclosure();
    String json = new String(Base64.getUrlDecoder().decode(original), StandardCharsets.UTF_8);
    String forged = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(json.replace("tnt_01J8Z3QW5V6X7Y8Z9A0B1C2D3E", "tnt_01J8Z3QW5V6X7Y8Z9A0B1C2D3F")
            .getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> IndependentSdJwtVerifier.verify(vc.compact().replace(original, forged), keys, NOW))
        .isInstanceOf(IndependentSdJwtVerifier.Rejected.class)
        .hasMessageContaining("not in _sd");
  }

  @Test
  void aTamperedSignature_isRejected() throws Exception {
    SdJwtVc vc = issue();
    String[] jws = vc.issuerSignedJwt().split("\\.");
    byte[] signature = Base64.getUrlDecoder().decode(jws[2]);
    signature[10] ^= 0x01;
    String tampered = jws[0] + "." + jws[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

    assertThatThrownBy(() -> IndependentSdJwtVerifier.verify(vc.compact().replace(vc.issuerSignedJwt(), tampered), keys, NOW))
        .isInstanceOf(IndependentSdJwtVerifier.Rejected.class)
        .hasMessageContaining("signature");
  }

  @Test
  void afterExp_isRejected() throws Exception {
    SdJwtVc vc = issue();

    assertThatThrownBy(() -> IndependentSdJwtVerifier.verify(vc.compact(), keys, vc.expiresAt()))
        .isInstanceOf(IndependentSdJwtVerifier.Rejected.class)
        .hasMessageContaining("expired");
  }

  @Test
  void anotherKey_isRejectedForItsSignature() throws Exception {
    ECKey other = new JcaTestSigner().publicKeyInfo(IAT).toJwk();

    assertThatThrownBy(() -> IndependentSdJwtVerifier.verify(issue().compact(), kid -> other, NOW))
        .isInstanceOf(IndependentSdJwtVerifier.Rejected.class)
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void anotherCredentialType_isRejected() throws Exception {
    SdJwtVc vc = new SdJwtVcIssuer(DID, () -> signer, SaltSource.secureRandom(), 2)
        .issue(new SdJwtVcClaims("https://example.com/vct/other", IAT, IAT.plusSeconds(300),
            Map.of("decision", "ALLOW"), Map.of("tenant_id", "tnt_1")));

    assertThatThrownBy(() -> IndependentSdJwtVerifier.verify(vc.compact(), keys, NOW))
        .isInstanceOf(IndependentSdJwtVerifier.Rejected.class)
        .hasMessageContaining("vct is https://example.com/vct/other");
  }

  /** A header naming critical extensions is refused, even when correctly signed (RFC 7515 §4.1.11). */
  @Test
  void aCriticalHeaderExtension_isRejected() throws Exception {
    SdJwtVc vc = issue();
    String[] jws = vc.issuerSignedJwt().split("\\.");
    Base64.Decoder decoder = Base64.getUrlDecoder();
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    String header = new String(decoder.decode(jws[0]), StandardCharsets.UTF_8);
    String critical = encoder.encodeToString(
        header.replaceFirst("\\{", "{\"crit\":[\"x-ext\"],\"x-ext\":1,").getBytes(StandardCharsets.UTF_8));
    byte[] der = signer.sign((critical + "." + jws[1]).getBytes(StandardCharsets.US_ASCII)).der();
    String resigned = critical + "." + jws[1] + "." + encoder.encodeToString(Signatures.derToConcat(der));

    assertThatThrownBy(() -> IndependentSdJwtVerifier.verify(vc.compact().replace(vc.issuerSignedJwt(), resigned), keys, NOW))
        .isInstanceOf(IndependentSdJwtVerifier.Rejected.class)
        .hasMessageContaining("crit");
  }
}
