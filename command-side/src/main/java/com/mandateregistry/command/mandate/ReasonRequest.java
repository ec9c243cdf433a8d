package com.mandateregistry.command.mandate;

import com.mandateregistry.api.mandate.MandateLimits;
import jakarta.validation.constraints.Size;

/** The optional body of revoke and suspend. */
record ReasonRequest(@Size(max = MandateLimits.REASON_LENGTH, message = CreateMandateRequest.CHARACTERS) String reason) {}
