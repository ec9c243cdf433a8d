/** The consumer of the event stream that appends every tenant event to its tenant's chain. */
package com.mandateregistry.ledger.projection;
