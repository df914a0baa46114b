package dev.tunnelcast.agent.encode;

import club.minnced.opus.util.OpusLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tomp2p.opuswrapper.Opus;

/**
 * Loads libopus once: the system library (Debian {@code libopus0}, 1.3.x) when present,
 * otherwise the copy bundled in opus-java (1.1.2). Logs which one is used.
 */
public final class OpusLoader {

    private static final Logger log = LoggerFactory.getLogger(OpusLoader.class);
    private static final List<String> SYSTEM_PATHS = List.of(
            "/usr/lib/x86_64-linux-gnu/libopus.so.0",
            "/usr/lib/aarch64-linux-gnu/libopus.so.0",
            "/usr/lib64/libopus.so.0",
            "/usr/lib/libopus.so.0",
            "/usr/local/lib/libopus.so.0");

    private static String loaded;

    private OpusLoader() {}

    /** Loads libopus if not yet loaded and returns a description of the library in use. */
    public static synchronized String load() {
        if (loaded != null) {
            return loaded;
        }
        String source;
        Path system = SYSTEM_PATHS.stream().map(Path::of).filter(Files::isReadable).findFirst().orElse(null);
        try {
            if (system != null) {
                OpusLibrary.loadFrom(system.toString());
                source = "system " + system;
            } else {
                OpusLibrary.loadFromJar();
                source = "bundled with opus-java (no system libopus found; install libopus0 for 1.3.x)";
            }
        } catch (Exception | LinkageError e) {
            throw new EncoderException("cannot load libopus: " + e);
        }
        loaded = Opus.INSTANCE.opus_get_version_string() + ", " + source;
        log.info("Opus: {}", loaded);
        return loaded;
    }
}
