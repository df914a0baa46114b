package dev.tunnelcast.agent.encode;

import com.sun.jna.FunctionMapper;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a native call, then takes every thread it made real-time back to the policy it had.
 *
 * <p>Why: SVT-AV1 (3.1.2, linked into JavaCPP's FFmpeg libavcodec) switches the thread that opens an
 * encoder to SCHED_FIFO priority 99 whenever it runs as root ({@code enc_switch_to_real_time}
 * in {@code svt_av1_enc_init_handle}), and the encoder threads it starts next inherit that.
 * Left so, the opening thread, the library's workers, and every thread or process the opening
 * thread starts later (an FFmpeg CLI, a browser) run at FIFO 99 and can starve the machine.
 * After the call, a thread that is real-time with another policy or priority than before gets
 * its old policy back; a thread the call started gets the one it would have inherited, the
 * caller's from before.
 * Linux only; elsewhere, or without {@code /proc}, the call just runs.
 */
final class RealtimeSchedulingUndo {

    private static final Logger log = LoggerFactory.getLogger(RealtimeSchedulingUndo.class);
    private static final int SCHED_FIFO = 1;
    private static final int SCHED_RR = 2;
    private static final int SCHED_RESET_ON_FORK = 0x4000_0000;
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final AtomicBoolean REPORTED = new AtomicBoolean();

    private RealtimeSchedulingUndo() {}

    /** A thread's policy (with its reset-on-fork flag) and static priority. */
    record Policy(int policy, int priority) {
        boolean realtime() {
            int p = policy & ~SCHED_RESET_ON_FORK;
            return p == SCHED_FIFO || p == SCHED_RR;
        }
    }

    /** The few libc calls needed, named in camel case ({@code schedGetparam}: sched_getparam); tid 0 is the caller. */
    private interface LibC extends Library {
        int schedGetscheduler(int tid) throws LastErrorException;

        int schedGetparam(int tid, IntByReference param) throws LastErrorException; // struct sched_param: one int

        int schedSetscheduler(int tid, int policy, IntByReference param) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class, Map.of(Library.OPTION_FUNCTION_MAPPER,
                (FunctionMapper) (library, method) -> method.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT)));
    }

    /** Runs {@code nativeCall} on this thread and returns its result, with no thread left raised by it. */
    static int around(IntSupplier nativeCall) {
        if (!Platform.isLinux() || !Files.isDirectory(TASKS)) {
            return nativeCall.getAsInt();
        }
        Policy caller = policyOf(0);
        Map<Integer, Policy> before = policies();
        int result = nativeCall.getAsInt();
        int undone = 0;
        for (Map.Entry<Integer, Policy> back : raisedBy(caller, before, policies()).entrySet()) {
            if (set(back.getKey(), back.getValue())) {
                undone++;
            }
        }
        if (undone > 0) {
            String message = "an encoder's open made " + undone
                    + " threads real-time (SVT-AV1 does as root); their scheduling policy is put back";
            if (REPORTED.compareAndSet(false, true)) {
                log.info(message);
            } else {
                log.debug(message);
            }
        }
        return result;
    }

    /**
     * The threads, by id, that are real-time {@code after} the call with another policy or
     * priority than {@code before} it, each with the policy to put back: its own from before,
     * or for a thread the call started, the {@code caller}'s from before (what it would have
     * inherited).
     */
    static Map<Integer, Policy> raisedBy(Policy caller, Map<Integer, Policy> before, Map<Integer, Policy> after) {
        Map<Integer, Policy> back = new HashMap<>();
        after.forEach((tid, now) -> {
            Policy was = before.getOrDefault(tid, caller);
            if (now.realtime() && !now.equals(was)) {
                back.put(tid, was);
            }
        });
        return back;
    }

    /** Every thread of this process and its policy; a thread that ends meanwhile is left out. */
    private static Map<Integer, Policy> policies() {
        Map<Integer, Policy> out = new HashMap<>();
        for (int tid : threadIds()) {
            try {
                out.put(tid, policyOf(tid));
            } catch (LastErrorException ended) {
                // ESRCH: the thread ended between the listing and the query
            }
        }
        return out;
    }

    private static List<Integer> threadIds() {
        try (Stream<Path> tasks = Files.list(TASKS)) {
            return tasks.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new EncoderException("cannot list " + TASKS + ": " + e);
        }
    }

    private static Policy policyOf(int tid) {
        IntByReference priority = new IntByReference();
        int policy = Holder.LIBC.schedGetscheduler(tid);
        Holder.LIBC.schedGetparam(tid, priority);
        return new Policy(policy, priority.getValue());
    }

    private static boolean set(int tid, Policy policy) {
        try {
            Holder.LIBC.schedSetscheduler(tid, policy.policy(), new IntByReference(policy.priority()));
            return true;
        } catch (LastErrorException e) {
            log.warn("cannot put thread {} back to scheduling policy {}: {}", tid, policy, e.getMessage());
            return false;
        }
    }
}
