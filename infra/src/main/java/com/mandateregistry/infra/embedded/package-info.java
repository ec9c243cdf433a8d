/**
 * The embedded development stack: real PostgreSQL (zonky's embedded binaries, run through
 * {@code unshare -U} when the JVM is root) and a real single-node Kafka broker in KRaft mode, in
 * process, both keeping their data in one data directory so that it survives restarts.
 *
 * <ul>
 *   <li>{@link com.mandateregistry.infra.embedded.EmbeddedPostgresServer}: {@code <dataDir>/postgres}</li>
 *   <li>{@link com.mandateregistry.infra.embedded.EmbeddedKafkaBroker}: {@code <dataDir>/kafka}</li>
 *   <li>{@link com.mandateregistry.infra.embedded.EmbeddedStack}: both, started and stopped together</li>
 * </ul>
 *
 * <p>These three classes are plain Java with no Spring dependency; the application's Spring wiring
 * starts them for the default run command. Production configuration points at external servers
 * instead and does not start them.
 */
package com.mandateregistry.infra.embedded;
