package io.latentflow.flink.job;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every log event at INFO and above (message and stack trace) of this JVM's Log4j 2 (Flink's, Kafka's
 * clients' and broker's, ours), while the console keeps showing WARN and above only. {@link #close()} restores the
 * configuration of {@code log4j2-test.properties}.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {
    private static final List<String> LOUD = List.of("kafka", "org.apache.kafka", "state.change.logger");

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Map<String, Level> levelsBefore = new java.util.HashMap<>();
    private Appender console;

    private LogCapture() {
        super("capture", null, null, true, Property.EMPTY_ARRAY);
    }

    static LogCapture install() {
        LogCapture capture = new LogCapture();
        capture.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.addAppender(capture);
        LoggerConfig root = config.getRootLogger();
        capture.levelsBefore.put("", root.getLevel());
        capture.console = root.getAppenders().get("console");
        if (capture.console != null) {
            root.removeAppender("console");
            root.addAppender(capture.console, Level.WARN, null);
        }
        root.addAppender(capture, Level.INFO, null);
        root.setLevel(Level.INFO);
        for (String name : LOUD) {
            LoggerConfig lc = config.getLoggerConfig(name);
            if (lc.getName().equals(name)) {
                capture.levelsBefore.put(name, lc.getLevel());
                lc.setLevel(Level.INFO);
            }
        }
        ctx.updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder b = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " - "
                + event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            b.append('\n').append(trace);
        }
        lines.add(b.toString());
    }

    /** Everything captured so far, one event per line (stack traces follow their line). */
    String text() {
        return String.join("\n", lines);
    }

    int events() {
        return lines.size();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.removeAppender(getName());
        if (console != null) {
            root.removeAppender("console");
            root.addAppender(console, null, null);
        }
        levelsBefore.forEach((name, level) -> config.getLoggerConfig(name).setLevel(level));
        ctx.updateLoggers();
        stop();
    }
}
