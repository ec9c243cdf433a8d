package com.mandateregistry.api.mandate.scope;

/**
 * One invalid entry of a scope, ready to become an error detail of a 400 response.
 *
 * @param param the JSON path of the entry, for example {@code scope.actions[2]}
 * @param value the offending pattern as given (may be null)
 * @param message what is wrong with it
 */
public record PatternViolation(String param, String value, String message) {}
