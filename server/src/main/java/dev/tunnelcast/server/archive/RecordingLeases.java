package dev.tunnelcast.server.archive;

import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Whether this relay may record a stream now. On one relay it always may; in a cluster only
 * the holder of the stream's recorder lease may (docs/cluster.md, "One recorder per stream"),
 * so that two nodes never record one stream at the same time. The recorder's writer thread
 * asks before it opens a segment and on every packet, so answers must be quick (no I/O).
 */
public interface RecordingLeases {

    /** One relay on its own: every stream may be recorded, segments are not fenced. */
    RecordingLeases SOLE = new RecordingLeases() {
        @Override
        public OptionalLong fencingToken(String stream) {
            return OptionalLong.of(0);
        }

        @Override
        public void onLost(Consumer<String> listener) {
        }
    };

    /**
     * The token of this node's lease on {@code stream} (it changes each time the lease is taken
     * anew and goes into the segment id), or empty while another node records the stream.
     */
    OptionalLong fencingToken(String stream);

    /** {@code listener} hears, with the stream's name, that a lease was lost: the segment ends at once. */
    void onLost(Consumer<String> listener);
}
