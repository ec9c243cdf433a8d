package com.mandateregistry.query.verification;

/** The answer of a verification. */
public enum Verdict {
  ALLOW,
  DENY
}
