/**
 * The OpenID AuthZEN Authorization API 1.0 (Policy Decision Point side) over the registry's
 * verification: {@code POST /access/v1/evaluation}, {@code POST /access/v1/evaluations} and {@code
 * GET /.well-known/authzen-configuration}; see docs/verification.md "AuthZEN mapping".
 */
package com.mandateregistry.query.verification.authzen;
