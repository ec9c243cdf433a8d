package com.mandateregistry.command.mandate;

/**
 * The body of a transition that takes no parameters (reactivate, approve). It may be omitted; when
 * sent it is read like any other body, so malformed JSON is a 400 and another media type a 415,
 * and the transition does not happen. The members of a JSON object are ignored.
 */
record NoParameters() {}
