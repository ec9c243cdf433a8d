/** The verification benchmark: starts the service in-process, fills it, and drives load at it (bench/verify-bench.sh). */
package com.mandateregistry.bench;
