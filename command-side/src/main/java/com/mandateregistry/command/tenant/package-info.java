/** The Tenant aggregate: registration and the record of issued API keys. */
package com.mandateregistry.command.tenant;
