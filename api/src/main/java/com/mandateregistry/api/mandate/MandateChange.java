package com.mandateregistry.api.mandate;

import java.time.Instant;

/**
 * What a mandate command handler returns: the mandate's state right after the command.
 *
 * @param version the aggregate's sequence number after the command, usable in {@code If-Match}
 */
public record MandateChange(String mandateId, MandateStatus status, long version, Instant at) {}
