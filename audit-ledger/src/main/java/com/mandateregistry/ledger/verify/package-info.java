/** Offline, streaming verification of an exported ledger trail: chain order, links, hashes and signatures, checked in parallel. */
package com.mandateregistry.ledger.verify;
