package com.mandateregistry.api.web;

/**
 * The authenticated caller of a tenant endpoint, as the security layer resolved it.
 *
 * @param tenantId the only tenant whose data this caller may read or change
 * @param actorType the kind of credential, for example {@code api_key}
 * @param actorId the credential's id, for example {@code key_01H…}
 */
public record Caller(String tenantId, String actorType, String actorId) {}
