/** The read side: projections from the event stream into PostgreSQL, and the read endpoints. */
package com.mandateregistry.query;
