package com.mandateregistry.infra.embedded;

import org.slf4j.LoggerFactory;

/**
 * Quietens the chatty loggers of the embedded servers (Kafka's broker internals, and zonky's copy of
 * PostgreSQL's console output) to WARN, when Logback is the SLF4J backend and no level was configured
 * for them. Explicit settings, such as Spring Boot's {@code logging.level.org.apache.kafka=INFO}, win.
 */
final class EmbeddedLogging {

    static final String[] KAFKA_LOGGERS = {"kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper"};
    static final String[] POSTGRES_LOGGERS = {"io.zonky.test.db.postgres"};

    private EmbeddedLogging() {
    }

    static void warnIfUnset(String... loggerNames) {
        try {
            Class.forName("ch.qos.logback.classic.LoggerContext", false, EmbeddedLogging.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return;
        }
        Logback.warnIfUnset(loggerNames);
    }

    /** Kept apart so that Logback classes are loaded only when Logback is present. */
    private static final class Logback {
        static void warnIfUnset(String... names) {
            if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context)) {
                return;
            }
            for (String name : names) {
                ch.qos.logback.classic.Logger logger = context.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(ch.qos.logback.classic.Level.WARN);
                }
            }
        }
    }
}
