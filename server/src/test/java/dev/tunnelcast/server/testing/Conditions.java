package dev.tunnelcast.server.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits on a condition that the relay reaches on its own threads, failing after a generous deadline. */
public final class Conditions {

    private Conditions() {}

    /** Polls {@code value} until {@code done} holds for it; fails with {@code what} and the last value after {@code deadline}. */
    public static <T> T await(String what, Duration deadline, Supplier<T> value, Predicate<T> done) {
        long end = System.nanoTime() + deadline.toNanos();
        for (;;) {
            T last = value.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " not reached within " + deadline + "; last: " + last);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
