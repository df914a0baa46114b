package dev.tunnelcast.agent.encode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.capture.RawVideoFrame;
import dev.tunnelcast.agent.encode.RealtimeSchedulingUndo.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No thread of this JVM is left real-time by an encoder. SVT-AV1 switches the thread that
 * opens it, and the threads it starts, to SCHED_FIFO 99 when it runs as root, as CI does
 * (without CAP_SYS_NICE the library cannot, and the first test cannot fail). Policies are
 * read from {@code /proc/self/task/<tid>/stat}, not through the code under test.
 *
 * <p>The timeout: SVT-AV1 3.1.2 (in JavaCPP's FFmpeg) can deadlock inside {@code avcodec_send_frame},
 * every thread idle (SVT-AV1 issues 2300 and 2311; proof runs 27 and 34 hung in this class). Av1Encoder's
 * rtc=1 avoids that; should it come back, the test fails instead of holding the build. A native call
 * ignores interrupts, so the test runs in a thread of its own.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NoRealtimeThreadsTest {

    private static final int W = VideoCodecEncodersTest.W;
    private static final int H = VideoCodecEncodersTest.H;
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_FIFO = 1;
    private static final int SCHED_RR = 2;

    @Test
    void svtAv1LeavesNoThreadRealtimeNorAProcessStartedAfterIt() throws Exception {
        VideoEncoderSettings s = new VideoEncoderSettings("libsvtav1", W, H, 30, 400_000, 0, "", "", "", 15, 1);
        try (VideoEncoder encoder = VideoEncoders.open(s)) {
            assertThat(realtimeThreads()).as("after the open").isEmpty();
            for (int i = 0; i < 10; i++) {
                encoder.encode(new RawVideoFrame(W, H, VideoCodecEncodersTest.moving(i), 0), i * 33_333L, i);
            }
            encoder.setBitrate(200_000); // SVT-AV1 takes a new rate by reopening, on the encoding thread
            encoder.encode(new RawVideoFrame(W, H, VideoCodecEncodersTest.moving(10), 0), 10 * 33_333L, 10);
            assertThat(((FFmpegVideoEncoder) encoder).reopens()).isEqualTo(1);
            assertThat(realtimeThreads()).as("after encoding and a reopen").isEmpty();
        }
        Process cat = new ProcessBuilder("cat", "/proc/self/stat").redirectErrorStream(true).start();
        String stat = new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(cat.waitFor()).isZero();
        assertThat(policyIn(stat)).as("a process this thread starts: " + stat).isEqualTo(SCHED_OTHER);
    }

    @Test
    void theUndoTakesBackOnlyWhatTheCallRaised() {
        Policy other = new Policy(SCHED_OTHER, 0);
        Policy batch = new Policy(3, 0);
        Policy fifo99 = new Policy(SCHED_FIFO, 99);
        Policy rr10 = new Policy(SCHED_RR, 10);
        Map<Integer, Policy> before = Map.of(
                1, other,   // the caller, raised by the call
                2, other,   // untouched
                3, rr10,    // real-time by someone's choice before the call: kept
                4, new Policy(SCHED_FIFO, 10), // real-time before, raised further by the call
                5, other);  // set to SCHED_BATCH by the call: not real-time, not ours to undo
        Map<Integer, Policy> after = Map.of(1, fifo99, 2, other, 3, rr10, 4, fifo99, 5, batch,
                6, fifo99,  // started by the call, inherited the raised caller
                7, other);  // started meanwhile by another thread
        assertThat(RealtimeSchedulingUndo.raisedBy(other, before, after))
                .isEqualTo(Map.of(1, other, 4, new Policy(SCHED_FIFO, 10), 6, other));
    }

    /** Every thread of this JVM that is SCHED_FIFO or SCHED_RR, as "tid name policy". */
    private static List<String> realtimeThreads() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(t -> Integer.parseInt(t.getFileName().toString()))
                    .filter(tid -> {
                        int p = policy(tid);
                        return p == SCHED_FIFO || p == SCHED_RR;
                    })
                    .map(tid -> tid + " " + comm(tid) + " policy " + policy(tid))
                    .toList();
        }
    }

    /** The policy of a thread of this JVM, or -1 when it has ended. */
    private static int policy(int tid) {
        try {
            return policyIn(Files.readString(Path.of("/proc/self/task/" + tid + "/stat"), StandardCharsets.US_ASCII));
        } catch (IOException ended) {
            return -1;
        }
    }

    private static String comm(int tid) {
        try {
            return Files.readString(Path.of("/proc/self/task/" + tid + "/comm")).strip();
        } catch (IOException ended) {
            return "?";
        }
    }

    /** Field 41 of proc(5)'s stat line; the name in field 2 may hold spaces, so count from its ')'. */
    private static int policyIn(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        return Integer.parseInt(after[41 - 3]);
    }
}
