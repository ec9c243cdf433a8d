package com.mandateregistry.infra.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.List;
import org.keycloak.common.VerificationException;
import org.keycloak.crypto.SignatureVerifierContext;
import org.keycloak.sdjwt.IssuerSignedJwtVerificationOpts;
import org.keycloak.sdjwt.vp.KeyBindingJwtVerificationOpts;
import org.keycloak.sdjwt.vp.SdJwtVP;

/**
 * A relying party built on Keycloak's SD-JWT implementation ({@code org.keycloak.sdjwt}), which
 * shares no code with the issuer's (authlete's {@code sd-jwt} over Nimbus JOSE) nor with {@code
 * IndependentSdJwtVerifier}: Keycloak parses the SD-JWT, checks the disclosures against the
 * digests, {@code exp} and the signature, and rebuilds the disclosed claims. The key comes from the
 * DID document's {@code publicKeyJwk} through the JDK alone, and the ES256 signature is checked by
 * the JDK ({@code SHA256withECDSAinP1363Format}, the JWS form {@code R || S}).
 */
final class KeycloakSdJwt {

  private KeycloakSdJwt() {}

  /**
   * Verifies an SD-JWT (issued, or presented with some of its disclosures, without key binding)
   * and returns its claims with the disclosed ones in place.
   *
   * @throws VerificationException if Keycloak refuses it
   */
  static JsonNode verify(String sdJwt, String kid, JsonNode publicKeyJwk) throws VerificationException {
    SdJwtVP presented = SdJwtVP.of(sdJwt);
    return presented
        .getSdJwtVerificationContext()
        .verifyPresentation(
            List.of(new Es256(kid, publicKey(publicKeyJwk))),
            // exp required and checked (false: not optional); nbf checked only if present, since a
            // proof has none (docs/proof-of-mandate.md)
            IssuerSignedJwtVerificationOpts.builder().withExpCheck(false).withNbfCheck(true).build(),
            KeyBindingJwtVerificationOpts.builder().withKeyBindingRequired(false).build(),
            disclosed -> {});
  }

  /** An EC P-256 public key from its JWK ({@code kty} EC, {@code crv} P-256, {@code x}, {@code y}). */
  static PublicKey publicKey(JsonNode jwk) {
    if (!"EC".equals(jwk.path("kty").asText()) || !"P-256".equals(jwk.path("crv").asText())) {
      throw new IllegalArgumentException("not an EC P-256 JWK: " + jwk);
    }
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      ECPoint point = new ECPoint(coordinate(jwk, "x"), coordinate(jwk, "y"));
      return KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unusable JWK " + jwk, e);
    }
  }

  private static BigInteger coordinate(JsonNode jwk, String name) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get(name).asText()));
  }

  /** ES256 with the JDK: the key the DID document names under {@code kid}. */
  private record Es256(String kid, PublicKey key) implements SignatureVerifierContext {

    @Override
    public String getKid() {
      return kid;
    }

    @Override
    public String getAlgorithm() {
      return "ES256";
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) throws VerificationException {
      try {
        Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
        ecdsa.initVerify(key);
        ecdsa.update(data);
        return ecdsa.verify(signature);
      } catch (GeneralSecurityException e) {
        throw new VerificationException("ES256 verification failed", e);
      }
    }
  }
}
