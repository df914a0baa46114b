package dev.tunnelcast.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Sets the root log level from {@code --log-level}. */
final class LogLevel {

    private LogLevel() {}

    static void set(String level) {
        Level parsed = Level.toLevel(level, null);
        if (parsed == null) {
            throw new IllegalArgumentException("--log-level must be error, warn, info, debug or trace");
        }
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(parsed);
    }
}
