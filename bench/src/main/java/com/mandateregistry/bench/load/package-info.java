/** The load client: a separate JVM, JDK and HdrHistogram only, open-loop and closed-loop HTTP load. */
package com.mandateregistry.bench.load;
