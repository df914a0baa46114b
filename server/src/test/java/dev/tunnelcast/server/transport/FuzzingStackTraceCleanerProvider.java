package dev.tunnelcast.server.transport;

import org.mockito.exceptions.stacktrace.StackTraceCleaner;
import org.mockito.plugins.StackTraceCleanerProvider;

/**
 * Mockito's stack-trace cleaner, or, while Jazzer fuzzes, one that keeps every frame. Mockito
 * walks the stack on every call to a mock to find the caller's frame (the first frame the
 * cleaner keeps, skipping its own); through Jazzer's deep stacks that walk was most of a fuzz
 * input's time ({@link FakeSocket}'s mocks are called many times per input). Keeping every
 * frame ends the walk at once. It only changes where Mockito says a call came from and how it
 * trims stack traces, never what a mock does; outside fuzzing (plain {@code mvn test}, the
 * regression inputs included) Mockito's own cleaner is used. Registered in
 * {@code mockito-extensions/org.mockito.plugins.StackTraceCleanerProvider}.
 */
public final class FuzzingStackTraceCleanerProvider implements StackTraceCleanerProvider {

    private static final StackTraceCleaner KEEP_EVERY_FRAME = new StackTraceCleaner() {
        @Override
        public boolean isIn(StackTraceElement frame) {
            return true;
        }

        @Override
        public boolean isIn(StackFrameMetadata frame) {
            return true;
        }
    };

    @Override
    public StackTraceCleaner getStackTraceCleaner(StackTraceCleaner defaultCleaner) {
        return fuzzing() ? KEEP_EVERY_FRAME : defaultCleaner;
    }

    /** Jazzer's own driver (as {@code bench/run fuzz} starts it), or JUnit with {@code JAZZER_FUZZ} set. */
    private static boolean fuzzing() {
        String env = System.getenv("JAZZER_FUZZ");
        return System.getProperty("sun.java.command", "").startsWith("com.code_intelligence.jazzer.")
                || env != null && !env.isEmpty() && !env.equals("0");
    }
}
