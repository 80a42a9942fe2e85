package io.latentflow.embedded;

import java.lang.reflect.Method;

import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded broker's logs at WARN.
 *
 * <p>Why: Kafka logs hundreds of INFO lines at start-up and shutdown (every config value, every partition),
 * which drowns the demo's output and test reports. Kafka itself depends only on slf4j-api; the binding is the
 * application's (slf4j-simple in the cli and in this module's tests). For slf4j-simple, per-logger levels are
 * read from system properties when a logger is created, so setting them before the broker creates its loggers
 * works; an explicit {@code -Dorg.slf4j.simpleLogger.log.kafka=info} on the command line wins. When the binding
 * is Log4j 2 (Flink's choice), the levels are set through its Configurator.
 */
final class Logging {
    private static final String[] KAFKA_LOGGERS = {"kafka", "org.apache.kafka", "state.change.logger"};

    private Logging() {
    }

    static synchronized void quietKafka() {
        for (String logger : KAFKA_LOGGERS) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
        String factory = LoggerFactory.getILoggerFactory().getClass().getName();
        if (factory.startsWith("org.apache.logging.")) {
            setLog4jLevelsToWarn();
        }
    }

    private static void setLog4jLevelsToWarn() {
        try {
            Class<?> level = Class.forName("org.apache.logging.log4j.Level");
            Object warn = level.getField("WARN").get(null);
            Method setLevel = Class.forName("org.apache.logging.log4j.core.config.Configurator")
                    .getMethod("setLevel", String.class, level);
            for (String logger : KAFKA_LOGGERS) {
                setLevel.invoke(null, logger, warn);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            LoggerFactory.getLogger(Logging.class).debug("cannot set Log4j levels for Kafka: {}", e.toString());
        }
    }
}
