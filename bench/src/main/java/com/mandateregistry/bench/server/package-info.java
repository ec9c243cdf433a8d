/** What the benchmark adds to the service it starts: the no-op floor endpoint and server-side timing. */
package com.mandateregistry.bench.server;
