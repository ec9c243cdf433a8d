package com.mandateregistry.api.mandate;

/** Whether a mandate grants (ALLOW) or explicitly forbids (DENY) the actions in its scope. */
public enum Effect {
  ALLOW,
  DENY
}
