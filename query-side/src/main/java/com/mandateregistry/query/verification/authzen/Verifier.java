package com.mandateregistry.query.verification.authzen;

import com.mandateregistry.api.web.Caller;
import com.mandateregistry.query.verification.VerificationRequest;
import com.mandateregistry.query.verification.web.VerificationService;

/**
 * What the AuthZEN layer needs of the registry: one verification, decided and recorded in the
 * audit trail ({@link VerificationService#verify}, without a Proof-of-Mandate). A seam, so that
 * the mapping, the defaults and the evaluation semantics are tested without Spring or storage.
 */
@FunctionalInterface
interface Verifier {

  /**
   * @throws com.mandateregistry.api.web.ApiException when no decision could be made or recorded
   *     (503)
   */
  VerificationService.Outcome verify(Caller caller, VerificationRequest request);
}
