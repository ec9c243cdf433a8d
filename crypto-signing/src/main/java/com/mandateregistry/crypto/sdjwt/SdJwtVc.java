package com.mandateregistry.crypto.sdjwt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An issued SD-JWT VC.
 *
 * @param compact the SD-JWT as issued: {@code <issuer-signed JWT>~<disclosure>~…~<disclosure>~}
 *     (every disclosure, no key binding JWT)
 * @param issuerSignedJwt the JWS compact serialization, the part before the first {@code ~}
 * @param issuer the {@code iss} claim, the issuer's DID
 * @param keyId the JWS header's {@code kid}: {@code <issuer DID>#<signing key id>}
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 * @param disclosures the disclosures, in the order they follow the JWT
 */
public record SdJwtVc(
    String compact,
    String issuerSignedJwt,
    String issuer,
    String keyId,
    Instant issuedAt,
    Instant expiresAt,
    List<Disclosed> disclosures) {

  public SdJwtVc {
    Objects.requireNonNull(compact, "compact");
    Objects.requireNonNull(issuerSignedJwt, "issuerSignedJwt");
    disclosures = List.copyOf(disclosures);
  }

  /** The names of the selectively disclosable claims, in disclosure order. */
  public List<String> disclosableClaimNames() {
    return disclosures.stream().map(Disclosed::claimName).toList();
  }

  /**
   * The SD-JWT a holder presents when revealing only {@code claimNames}: the issuer-signed JWT,
   * then the disclosures of those claims, each followed by {@code ~}.
   *
   * @throws IllegalArgumentException if a name is not a disclosable claim of this credential
   */
  public String present(List<String> claimNames) {
    StringBuilder out = new StringBuilder(issuerSignedJwt).append('~');
    for (String name : claimNames) {
      Disclosed disclosed =
          disclosures.stream()
              .filter(d -> d.claimName().equals(name))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no disclosure for claim " + name));
      out.append(disclosed.disclosure()).append('~');
    }
    return out.toString();
  }

  /**
   * One disclosure.
   *
   * @param claimName the claim it discloses
   * @param disclosure base64url (no padding) of the UTF-8 JSON array {@code [salt, name, value]}
   * @param digest base64url (no padding) of SHA-256 over the ASCII bytes of {@code disclosure}; the
   *     value listed in the payload's {@code _sd} array
   */
  public record Disclosed(String claimName, String disclosure, String digest) {}
}
