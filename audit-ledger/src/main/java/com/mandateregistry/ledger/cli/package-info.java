/** The compliance command line ({@code export} and {@code verify}), runnable without Spring, a database or a network for verification. */
package com.mandateregistry.ledger.cli;
