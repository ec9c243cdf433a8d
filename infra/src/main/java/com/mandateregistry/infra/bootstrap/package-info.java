/** First-start conveniences of the embedded development mode. */
package com.mandateregistry.infra.bootstrap;
