package com.mandateregistry.api.mandate;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A DRAFT mandate was approved and is ACTIVE from {@code approvedAt}. */
@Revision("1")
public record MandateApprovedEvent(String mandateId, String tenantId, Instant approvedAt)
    implements MandateEvent {}
