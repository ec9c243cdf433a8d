/** The mandate read model: its projection, its table and the mandate read endpoints. */
package com.mandateregistry.query.mandate;
