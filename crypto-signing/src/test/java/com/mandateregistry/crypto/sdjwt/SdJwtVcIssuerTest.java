package com.mandateregistry.crypto.sdjwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signatures;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SdJwtVcIssuer}: known answers with fixed salts, and the rules on claim names and values.
 * Each known answer can be reproduced with the shell command next to it.
 */
class SdJwtVcIssuerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DID = "did:web:registry.example";
  private static final String VCT = "https://mandate-registry.dev/vct/proof-of-mandate/v1";
  private static final Instant IAT = Instant.parse("2026-01-01T00:00:00Z"); // 1767225600
  private static final Instant EXP = Instant.parse("2026-01-01T00:05:00Z"); // 1767225900
  private static final String SALT_1 = "2GLC42sKQveCfGfryNRN9w";
  private static final String SALT_2 = "eluV5Og3gSNII8EYnsxA_A";

  // printf '%s' '["2GLC42sKQveCfGfryNRN9w","tenant_id","tnt_01J8Z3QW5V6X7Y8Z9A0B1C2D3E"]' | basenc --base64url -w0 | tr -d '='
  private static final String TENANT_DISCLOSURE =
      "WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwidGVuYW50X2lkIiwidG50XzAxSjhaM1FXNVY2WDdZOFo5QTBCMUMyRDNFIl0";
  // printf '%s' "$TENANT_DISCLOSURE" | openssl dgst -sha256 -binary | basenc --base64url | tr -d '='
  private static final String TENANT_DIGEST = "aFCzSiJ4tSnkGVlA3Lv9SL5GKy10rBbv7oyHlfMv61A";
  // printf '%s' '["eluV5Og3gSNII8EYnsxA_A","principal",{"type":"natural_person","subject_id":"monco:user:max"}]' | basenc --base64url -w0 | tr -d '='
  private static final String PRINCIPAL_DISCLOSURE =
      "WyJlbHVWNU9nM2dTTklJOEVZbnN4QV9BIiwicHJpbmNpcGFsIix7InR5cGUiOiJuYXR1cmFsX3BlcnNvbiIsInN1YmplY3RfaWQiOiJtb25jbzp1c2VyOm1heCJ9XQ";
  // printf '%s' "$PRINCIPAL_DISCLOSURE" | openssl dgst -sha256 -binary | basenc --base64url | tr -d '='
  private static final String PRINCIPAL_DIGEST = "sh9hLR_uFylxDpNffENzP-ynVuxq_oe3sOYPDLGGgCE";

  private final JcaTestSigner signer = new JcaTestSigner();

  private static SaltSource fixedSalts(String... salts) {
    Iterator<String> next = List.of(salts).iterator();
    return next::next;
  }

  private SdJwtVcIssuer issuer() {
    return new SdJwtVcIssuer(DID, () -> signer, fixedSalts(SALT_1, SALT_2), 0);
  }

  private static SdJwtVcClaims claims() {
    Map<String, Object> visible = new LinkedHashMap<>();
    visible.put("decision", "ALLOW");
    visible.put("mandate_id", "mdt_01J8Z3QW5V6X7Y8Z9A0B1C2D3E");
    Map<String, Object> principal = new LinkedHashMap<>();
    principal.put("type", "natural_person");
    principal.put("subject_id", "monco:user:max");
    Map<String, Object> disclosable = new LinkedHashMap<>();
    disclosable.put("tenant_id", "tnt_01J8Z3QW5V6X7Y8Z9A0B1C2D3E");
    disclosable.put("principal", principal);
    return new SdJwtVcClaims(VCT, IAT, EXP, visible, disclosable);
  }

  private static SdJwtVcClaims withDisclosable(String name, Object value) {
    return new SdJwtVcClaims(VCT, IAT, EXP, Map.of(), Map.of(name, value));
  }

  private static String decode(String base64url) {
    return new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8);
  }

  @Test
  void disclosure_isTheBase64urlOfTheJsonArray_saltNameValue() throws Exception {
    SdJwtVc vc = issuer().issue(claims());

    assertThat(vc.disclosures().get(0).disclosure()).isEqualTo(TENANT_DISCLOSURE);
  }

  @Test
  void disclosure_ofAnObject_keepsItsMembersInOrder() throws Exception {
    SdJwtVc vc = issuer().issue(claims());

    assertThat(vc.disclosures().get(1).disclosure()).isEqualTo(PRINCIPAL_DISCLOSURE);
  }

  @Test
  void digest_isSha256OverTheDisclosureString() throws Exception {
    SdJwtVc vc = issuer().issue(claims());

    assertThat(vc.disclosures())
        .extracting(SdJwtVc.Disclosed::digest)
        .containsExactly(TENANT_DIGEST, PRINCIPAL_DIGEST);
  }

  @Test
  void payload_isRegisteredClaims_thenVisibleClaims_thenSortedDigests_thenSdAlg() throws Exception {
    SdJwtVc vc = issuer().issue(claims());

    assertThat(decode(vc.issuerSignedJwt().split("\\.")[1]))
        .isEqualTo(
            "{\"iss\":\"did:web:registry.example\",\"iat\":1767225600,\"exp\":1767225900,"
                + "\"vct\":\"https://mandate-registry.dev/vct/proof-of-mandate/v1\","
                + "\"decision\":\"ALLOW\",\"mandate_id\":\"mdt_01J8Z3QW5V6X7Y8Z9A0B1C2D3E\","
                + "\"_sd\":[\"" + TENANT_DIGEST + "\",\"" + PRINCIPAL_DIGEST + "\"],"
                + "\"_sd_alg\":\"sha-256\"}");
  }

  @Test
  void header_isEs256_typDcSdJwt_kidTheDidAndKeyId() throws Exception {
    SdJwtVc vc = issuer().issue(claims());

    JsonNode header = JSON.readTree(decode(vc.issuerSignedJwt().split("\\.")[0]));
    assertThat(header.size()).isEqualTo(3);
    assertThat(header.get("alg").asText()).isEqualTo("ES256");
    assertThat(header.get("typ").asText()).isEqualTo("dc+sd-jwt");
    assertThat(header.get("kid").asText()).isEqualTo(DID + "#" + signer.keyId());
    assertThat(vc.keyId()).isEqualTo(DID + "#" + signer.keyId());
  }

  @Test
  void compact_isTheJwt_thenEveryDisclosure_eachFollowedByTilde() throws Exception {
    SdJwtVc vc = issuer().issue(claims());

    assertThat(vc.compact())
        .isEqualTo(vc.issuerSignedJwt() + "~" + TENANT_DISCLOSURE + "~" + PRINCIPAL_DISCLOSURE + "~");
  }

  @Test
  void signature_isRS_andVerifiesWithThePublishedKey() throws Exception {
    SdJwtVc vc = issuer().issue(claims());

    JWSObject jws = JWSObject.parse(vc.issuerSignedJwt());
    assertThat(jws.getSignature().decode()).hasSize(64);
    assertThat(jws.verify(new ECDSAVerifier(signer.publicKeyInfo(IAT).toJwk()))).isTrue();
  }

  @Test
  void issuedAtAndExpiry_areWholeSeconds() throws Exception {
    SdJwtVcClaims claims =
        new SdJwtVcClaims(VCT, IAT.plusMillis(999), EXP.plusMillis(1), Map.of(), Map.of());

    SdJwtVc vc = issuer().issue(claims);

    assertThat(vc.issuedAt()).isEqualTo(IAT);
    assertThat(vc.expiresAt()).isEqualTo(EXP);
  }

  @Test
  void decoys_addRandomDigestsToSd() throws Exception {
    SdJwtVc vc = new SdJwtVcIssuer(DID, () -> signer, fixedSalts(SALT_1, SALT_2), 3).issue(claims());

    JsonNode sd = JSON.readTree(decode(vc.issuerSignedJwt().split("\\.")[1])).get("_sd");
    assertThat(sd).hasSize(5);
    List<String> digests = JSON.convertValue(sd, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    assertThat(digests).contains(TENANT_DIGEST, PRINCIPAL_DIGEST).isSorted();
    assertThat(vc.disclosures()).hasSize(2);
  }

  @Test
  void secureRandomSalts_are128Bits_andDoNotRepeat() {
    SaltSource salts = SaltSource.secureRandom();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String salt = salts.next();
      assertThat(Base64.getUrlDecoder().decode(salt)).hasSize(16);
      assertThat(seen.add(salt)).as("salt %s repeated", salt).isTrue();
    }
  }

  @Test
  void randomSalts_makeEveryIssuanceDifferent() throws Exception {
    SdJwtVcIssuer issuer = new SdJwtVcIssuer(DID, () -> signer);

    assertThat(issuer.issue(claims()).disclosures().get(0).disclosure())
        .isNotEqualTo(issuer.issue(claims()).disclosures().get(0).disclosure());
  }

  @ParameterizedTest
  @ValueSource(strings = {"iss", "iat", "exp", "vct", "nbf", "cnf", "status", "vct#integrity", "_sd", "_sd_alg", "..."})
  void disclosable_registeredOrReservedName_isRefused(String name) {
    assertThatThrownBy(() -> issuer().issue(withDisclosable(name, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"iss", "iat", "exp", "vct", "_sd", "_sd_alg", "..."})
  void visible_registeredOrReservedName_isRefused(String name) {
    SdJwtVcClaims claims = new SdJwtVcClaims(VCT, IAT, EXP, Map.of(name, "x"), Map.of());

    assertThatThrownBy(() -> issuer().issue(claims)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reservedKeyInsideAValue_isRefused() {
    assertThatThrownBy(() -> issuer().issue(withDisclosable("constraints", Map.of("_sd", List.of()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("_sd");
  }

  @Test
  void aValueThatIsNotJson_isRefused() {
    assertThatThrownBy(() -> issuer().issue(withDisclosable("constraints", Map.of("at", IAT))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("constraints.at");
  }

  @Test
  void aMemberWithANullValue_isLeftOut() throws Exception {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("a", 1);
    value.put("b", null);

    SdJwtVc vc = new SdJwtVcIssuer(DID, () -> signer, fixedSalts(SALT_1), 0)
        .issue(withDisclosable("constraints", value));

    assertThat(decode(vc.disclosures().get(0).disclosure()))
        .isEqualTo("[\"" + SALT_1 + "\",\"constraints\",{\"a\":1}]");
  }

  @Test
  void aClaimBothVisibleAndDisclosable_isRefused() {
    assertThatThrownBy(() -> new SdJwtVcClaims(VCT, IAT, EXP, Map.of("a", 1), Map.of("a", 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void expiryNotAfterIssuance_isRefused() {
    assertThatThrownBy(() -> new SdJwtVcClaims(VCT, IAT, IAT, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anIssuerThatIsNotADid_isRefused() {
    assertThatThrownBy(() -> new SdJwtVcIssuer("https://registry.example", () -> signer))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signerFailure_isASigningException_keepingTheCause() {
    SigningException unavailable = new SigningException("KMS unavailable");
    Signer failing = new Signer() {
      @Override
      public KeyedSignature sign(byte[] data) throws SigningException {
        throw unavailable;
      }

      @Override
      public String keyId() {
        return signer.keyId();
      }
    };

    assertThatThrownBy(() -> new SdJwtVcIssuer(DID, () -> failing).issue(claims())).isSameAs(unavailable);
  }

  @Test
  void aSignatureByAnotherKeyThanTheKid_isRefused() {
    JcaTestSigner other = new JcaTestSigner();
    Signer lying = new Signer() {
      @Override
      public KeyedSignature sign(byte[] data) throws SigningException {
        return other.sign(data);
      }

      @Override
      public String keyId() {
        return signer.keyId();
      }
    };

    assertThatThrownBy(() -> new SdJwtVcIssuer(DID, () -> lying).issue(claims()))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining(other.keyId());
  }

  @Test
  void aRotationBetweenKidAndSignature_isRefused() {
    JcaTestSigner rotatedTo = new JcaTestSigner();
    AtomicBoolean rotated = new AtomicBoolean();
    Signer rotating = new Signer() {
      @Override
      public KeyedSignature sign(byte[] data) throws SigningException {
        rotated.set(true);
        return rotatedTo.sign(data);
      }

      @Override
      public String keyId() {
        return rotated.get() ? rotatedTo.keyId() : signer.keyId();
      }
    };

    assertThatThrownBy(() -> new SdJwtVcIssuer(DID, () -> rotating).issue(claims()))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining(rotatedTo.keyId());
  }

  @Test
  void aMalformedDerSignature_isASigningException() {
    Signer broken = new Signer() {
      @Override
      public KeyedSignature sign(byte[] data) {
        return new KeyedSignature(signer.keyId(), Signatures.ES256, new byte[] {1, 2, 3});
      }

      @Override
      public String keyId() {
        return signer.keyId();
      }
    };

    assertThatThrownBy(() -> new SdJwtVcIssuer(DID, () -> broken).issue(claims()))
        .isInstanceOf(SigningException.class);
  }

  @Test
  void present_keepsTheJwt_andOnlyTheChosenDisclosures() throws Exception {
    SdJwtVc vc = issuer().issue(claims());

    assertThat(vc.present(List.of("principal")))
        .isEqualTo(vc.issuerSignedJwt() + "~" + PRINCIPAL_DISCLOSURE + "~");
  }
}
