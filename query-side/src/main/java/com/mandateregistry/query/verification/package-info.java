/**
 * The decision core of {@code POST /v1/verify}: given a delegate's mandates, a request and the
 * time, ALLOW or DENY with reason codes; free of Spring, storage and clocks.
 */
package com.mandateregistry.query.verification;
