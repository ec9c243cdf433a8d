package com.mandateregistry.infra.embedded;

import org.slf4j.LoggerFactory;

/**
 * Quietens the chatty loggers of the embedded servers (Kafka's broker internals, and zonky's copy of
 * PostgreSQL's console output) to WARN, when Logback is the SLF4J backend and no level was configured
 * for them. Explicit settings, such as Spring Boot's {@code logging.level.org.apache.kafka=INFO}, win.
 * It also drops the one WARN the broker logs at every clean stop: its controller-registration channel
 * is closed twice ({@link #BROKER_DOUBLE_CLOSE_START}), which says nothing about the service.
 */
final class EmbeddedLogging {

    static final String[] KAFKA_LOGGERS = {"kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper"};
    static final String[] POSTGRES_LOGGERS = {"io.zonky.test.db.postgres"};

    /**
     * What Kafka 3.9's broker logs, through {@code org.apache.kafka.clients.NetworkClient}, when it
     * closes its registration channel a second time during its own shutdown: {@code
     * [NodeToControllerChannelManager id=1 name=registration] Attempting to close NetworkClient that
     * has already been closed.} The filter matches its start and its end.
     */
    static final String BROKER_DOUBLE_CLOSE_START = "[NodeToControllerChannelManager id=";

    /** See {@link #BROKER_DOUBLE_CLOSE_START}. */
    static final String BROKER_DOUBLE_CLOSE_END = "] Attempting to close NetworkClient that has already been closed.";

    private EmbeddedLogging() {
    }

    /** Quietens the broker's loggers (see the class comment) and drops its double-close WARN. */
    static void quietenKafka() {
        warnIfUnset(KAFKA_LOGGERS);
        dropBrokerDoubleClose();
    }

    /**
     * Drops the broker's double-close WARN. Idempotent. Spring Boot's logging set-up, which comes
     * after the embedded stack has started, resets Logback, so the application calls it again once
     * logging is set up.
     */
    static void dropBrokerDoubleClose() {
        if (logback()) {
            Logback.dropBrokerDoubleClose();
        }
    }

    private static boolean logback() {
        try {
            Class.forName("ch.qos.logback.classic.LoggerContext", false, EmbeddedLogging.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static void warnIfUnset(String... loggerNames) {
        if (logback()) {
            Logback.warnIfUnset(loggerNames);
        }
    }

    /** Kept apart so that Logback classes are loaded only when Logback is present. */
    private static final class Logback {
        private static final String DOUBLE_CLOSE_FILTER = "embedded-broker-double-close";

        static void dropBrokerDoubleClose() {
            if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context)) {
                return;
            }
            synchronized (context) {
                if (context.getTurboFilterList().stream().anyMatch(f -> DOUBLE_CLOSE_FILTER.equals(f.getName()))) {
                    return;
                }
                ch.qos.logback.classic.turbo.TurboFilter filter = new ch.qos.logback.classic.turbo.TurboFilter() {
                    @Override
                    public ch.qos.logback.core.spi.FilterReply decide(
                            org.slf4j.Marker marker, ch.qos.logback.classic.Logger logger, ch.qos.logback.classic.Level level,
                            String format, Object[] params, Throwable t) {
                        return format != null
                                        && format.startsWith(BROKER_DOUBLE_CLOSE_START)
                                        && format.endsWith(BROKER_DOUBLE_CLOSE_END)
                                        && "org.apache.kafka.clients.NetworkClient".equals(logger.getName())
                                ? ch.qos.logback.core.spi.FilterReply.DENY
                                : ch.qos.logback.core.spi.FilterReply.NEUTRAL;
                    }
                };
                filter.setName(DOUBLE_CLOSE_FILTER);
                filter.start();
                context.addTurboFilter(filter);
            }
        }

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
