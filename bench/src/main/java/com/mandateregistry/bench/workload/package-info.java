/** The benchmark's mandates and requests, computed from numbers so that server and client agree. */
package com.mandateregistry.bench.workload;
