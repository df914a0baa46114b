package dev.tunnelcast.bench.fanout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The text lines between the harness and its players' process ({@link SwarmMain}): commands
 * on the child's stdin, replies on its stdout, one per line. A snapshot travels whole: the
 * count per healthy player, the stalled players' count, the close codes and the latency
 * histogram (HdrHistogram's compressed form, in Base64).
 */
final class SwarmLines {
    static final String CONNECTED = "connected";
    static final String NOT_CONNECTED = "not-connected";
    static final String START = "start";
    static final String STOP = "stop";
    static final String SNAPSHOT = "snapshot";
    static final String QUIT = "quit";
    static final String OK = "ok";

    private SwarmLines() {}

    static String start(long videoSequence, long audioSequence) {
        return START + " " + videoSequence + " " + audioSequence;
    }

    static String encode(SubscriberSwarm.Snapshot s) {
        ByteBuffer histogram = ByteBuffer.allocate(s.latencyMicros().getNeededByteBufferCapacity());
        int length = s.latencyMicros().encodeIntoCompressedByteBuffer(histogram);
        StringBuilder closes = new StringBuilder();
        s.closeCodes().forEach((code, count) -> closes.append(closes.length() == 0 ? "" : ",").append(code).append(':').append(count));
        return SNAPSHOT + " " + s.stalledDelivered()
                + " " + (s.deliveredPerHealthyPlayer().isEmpty() ? "-" : join(s.deliveredPerHealthyPlayer()))
                + " " + (closes.length() == 0 ? "-" : closes)
                + " " + Base64.getEncoder().encodeToString(Arrays.copyOf(histogram.array(), length));
    }

    static SubscriberSwarm.Snapshot decode(String line) {
        String[] parts = line.split(" ");
        if (parts.length != 5 || !parts[0].equals(SNAPSHOT)) {
            throw new IllegalArgumentException("not a snapshot line: " + line);
        }
        List<Long> delivered = new ArrayList<>();
        if (!parts[2].equals("-")) {
            for (String n : parts[2].split(",")) delivered.add(Long.parseLong(n));
        }
        Map<Integer, Integer> closes = new HashMap<>();
        if (!parts[3].equals("-")) {
            for (String pair : parts[3].split(",")) {
                String[] codeCount = pair.split(":");
                closes.put(Integer.parseInt(codeCount[0]), Integer.parseInt(codeCount[1]));
            }
        }
        Histogram latency;
        try {
            latency = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(parts[4])), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("a snapshot's histogram does not decode", e);
        }
        return new SubscriberSwarm.Snapshot(delivered, Long.parseLong(parts[1]), latency, Map.copyOf(closes));
    }

    private static String join(List<Long> numbers) {
        StringBuilder out = new StringBuilder();
        for (long n : numbers) out.append(out.length() == 0 ? "" : ",").append(n);
        return out.toString();
    }
}
