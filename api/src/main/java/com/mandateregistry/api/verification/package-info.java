/** Events of real-time verification: every decision, and escalations. */
package com.mandateregistry.api.verification;
