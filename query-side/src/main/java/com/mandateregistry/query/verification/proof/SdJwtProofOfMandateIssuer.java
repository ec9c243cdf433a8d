package com.mandateregistry.query.verification.proof;

import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.crypto.sdjwt.SdJwtVc;
import com.mandateregistry.crypto.sdjwt.SdJwtVcClaims;
import com.mandateregistry.crypto.sdjwt.SdJwtVcIssuer;
import com.mandateregistry.query.verification.web.ProofOfMandateIssuer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The Proof-of-Mandate as an SD-JWT VC ({@code dc+sd-jwt}), signed by the service's current
 * signing key (local or AWS KMS) under the issuer DID; docs/proof-of-mandate.md specifies it.
 *
 * <p>Visible: {@code iss}, {@code iat}, {@code exp} ({@code iat} + ttl), {@code vct}, {@code
 * decision}, {@code mandate_id}, {@code event_id}, {@code action}, {@code resource}, {@code
 * delegate} ({@code {"subject_id"}}). Selectively disclosable: {@code tenant_id}, {@code principal}
 * ({@code {"type", "subject_id"}}), {@code constraints} (the granted constraints plus {@code
 * remaining}, what is left after this use).
 */
@Component
public class SdJwtProofOfMandateIssuer implements ProofOfMandateIssuer {

  /** The claims a holder may leave out when presenting, in disclosure order. */
  public static final List<String> DISCLOSABLE = List.of("tenant_id", "principal", "constraints");

  private final SdJwtVcIssuer issuer;
  private final ProofSettings settings;

  SdJwtProofOfMandateIssuer(SigningKeys keys, ProofSettings settings) {
    this.issuer = new SdJwtVcIssuer(settings.issuerDid(), keys::currentSigner);
    this.settings = settings;
  }

  @Override
  public Proof issue(Claims claims) {
    Instant issuedAt = claims.issuedAt().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = issuedAt.plus(settings.ttl());

    Map<String, Object> delegate = new LinkedHashMap<>();
    delegate.put("subject_id", claims.delegateSubjectId());
    Map<String, Object> visible = new LinkedHashMap<>();
    visible.put("decision", "ALLOW");
    visible.put("mandate_id", claims.mandateId());
    visible.put("event_id", claims.eventId());
    visible.put("action", claims.action());
    visible.put("resource", claims.resource());
    visible.put("delegate", delegate);

    Map<String, Object> constraints =
        new LinkedHashMap<>(claims.constraints() == null ? Map.of() : claims.constraints());
    constraints.put(
        "remaining", claims.constraintsRemaining() == null ? Map.of() : claims.constraintsRemaining());
    Map<String, Object> disclosable = new LinkedHashMap<>();
    disclosable.put("tenant_id", claims.tenantId());
    disclosable.put("principal", claims.principal());
    disclosable.put("constraints", constraints);

    SdJwtVc vc;
    try {
      vc = issuer.issue(new SdJwtVcClaims(settings.vct(), issuedAt, expiresAt, visible, disclosable));
    } catch (SigningException e) {
      throw new ProofUnavailableException("the Proof-of-Mandate could not be signed", e);
    }
    return new Proof(
        SdJwtVcIssuer.TYPE, vc.compact(), vc.issuer(), vc.keyId(), vc.expiresAt(),
        vc.disclosableClaimNames());
  }
}
