/** Commands, events and values of the mandate lifecycle. */
package com.mandateregistry.api.mandate;
