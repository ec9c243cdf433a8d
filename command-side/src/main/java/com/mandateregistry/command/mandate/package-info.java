/** The Mandate aggregate, its lifecycle rules and the mandate write endpoints. */
package com.mandateregistry.command.mandate;
