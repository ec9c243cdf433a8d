package com.mandateregistry.command.mandate;

/** The payload of a mandate's expiry deadline, stored by the deadline manager until it is due. */
record ExpiryDue(String mandateId) {}
