package com.mandateregistry.command.mandate;

import jakarta.validation.constraints.Size;

/** The optional body of revoke and suspend. */
record ReasonRequest(@Size(max = 1000, message = CreateMandateRequest.CHARACTERS) String reason) {}
