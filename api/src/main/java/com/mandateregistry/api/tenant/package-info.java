/** Commands and events of tenants and their API keys. */
package com.mandateregistry.api.tenant;
