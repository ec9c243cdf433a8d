/** Authentication of tenant API keys, stored only as hashes. */
package com.mandateregistry.infra.security;
