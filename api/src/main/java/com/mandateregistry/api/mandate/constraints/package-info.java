/** The validated model of a mandate's {@code constraints} object, parsed once and read on every verification. */
package com.mandateregistry.api.mandate.constraints;
