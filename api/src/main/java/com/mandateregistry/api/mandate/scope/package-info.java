/** The scope grammar: compiled action and resource patterns, matched on the verification hot path. */
package com.mandateregistry.api.mandate.scope;
