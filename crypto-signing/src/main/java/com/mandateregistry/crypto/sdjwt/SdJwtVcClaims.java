package com.mandateregistry.crypto.sdjwt;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one SD-JWT VC states, besides {@code iss} (the issuer's DID, fixed per {@link
 * SdJwtVcIssuer}).
 *
 * <p>Claim values are JSON values: {@code String}, {@code Number}, {@code Boolean}, {@code Map}
 * with string keys, {@code List}, or {@code null}; a map member whose value is {@code null} is left
 * out. Anything else is refused when issuing.
 *
 * @param vct the credential type, a URI ({@code vct}, required by SD-JWT VC)
 * @param issuedAt {@code iat}, truncated to whole seconds
 * @param expiresAt {@code exp}, truncated to whole seconds; after {@code issuedAt}
 * @param visible claims in the clear in the issuer-signed JWT, in this order
 * @param disclosable selectively disclosable claims, one disclosure each, in this order
 */
public record SdJwtVcClaims(
    String vct,
    Instant issuedAt,
    Instant expiresAt,
    Map<String, Object> visible,
    Map<String, Object> disclosable) {

  public SdJwtVcClaims {
    Objects.requireNonNull(vct, "vct");
    if (vct.isBlank()) {
      throw new IllegalArgumentException("vct must not be blank");
    }
    issuedAt = Objects.requireNonNull(issuedAt, "issuedAt").truncatedTo(ChronoUnit.SECONDS);
    expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.SECONDS);
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expiresAt " + expiresAt + " is not after issuedAt " + issuedAt);
    }
    visible = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(visible, "visible")));
    disclosable =
        Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(disclosable, "disclosable")));
    for (String name : disclosable.keySet()) {
      if (visible.containsKey(name)) {
        throw new IllegalArgumentException("claim " + name + " is both visible and disclosable");
      }
    }
  }
}
