package dev.tunnelcast.server.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes a finished fragmented MP4 file's real durations into its header, in place (no box
 * changes size): {@code mvhd}, every {@code tkhd} and {@code mdhd}, and {@code mehd} where
 * present. FFmpeg's {@code empty_moov} leaves them at 0, and a reader that does not walk every
 * fragment (GStreamer, FFmpeg on a pipe or a progressive download) then takes the first
 * fragment's second for the length of the file. The durations are the sums of the sample
 * durations of the complete fragments ({@link Fmp4Layout#trackTicks()}).
 */
final class MovieDurations {

    private MovieDurations() {}

    /** Writes {@code layout}'s durations into {@code file}'s moov; a file without one is left alone. */
    static void write(Path file, Fmp4Layout layout) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long pos = 0;
            while (pos + 8 <= layout.initLength()) {
                ByteBuffer header = Fmp4Layout.read(ch, pos, 8);
                long size = Integer.toUnsignedLong(header.getInt(0));
                if (size < 8 || pos + size > layout.initLength()) {
                    return; // 64-bit or open-ended sizes: FFmpeg writes neither before the moov
                }
                if (Fmp4Layout.type(header, 4).equals("moov")) {
                    ByteBuffer moov = Fmp4Layout.read(ch, pos + 8, (int) (size - 8));
                    patch(moov, layout.trackTicks());
                    ch.write(moov.rewind(), pos + 8);
                    return;
                }
                pos += size;
            }
        }
    }

    private static void patch(ByteBuffer moov, Map<Long, Long> trackTicks) {
        long[] movieTimescale = {0};
        Fmp4Layout.children(moov, (type, body) -> {
            if (type.equals("mvhd")) {
                movieTimescale[0] = timescale(body);
            }
        });
        if (movieTimescale[0] <= 0) {
            return;
        }
        long[] movieDuration = {0};
        Fmp4Layout.children(moov.rewind(), (type, trak) -> {
            if (!type.equals("trak")) {
                return;
            }
            ByteBuffer[] tkhd = {null};
            long[] trackId = {-1};
            Fmp4Layout.children(trak, (t, b) -> {
                if (t.equals("tkhd") && b.limit() >= 24) {
                    tkhd[0] = b;
                    trackId[0] = Integer.toUnsignedLong(b.getInt(b.get(0) == 1 ? 20 : 12));
                } else if (t.equals("mdia") && tkhd[0] != null) {
                    Fmp4Layout.children(b, (t2, mdhd) -> {
                        long ticks = trackTicks.getOrDefault(trackId[0], 0L);
                        long mediaTimescale = t2.equals("mdhd") ? timescale(mdhd) : 0;
                        if (mediaTimescale > 0 && ticks > 0) {
                            long inMovie = (long) Math.ceil(ticks / (double) mediaTimescale * movieTimescale[0]);
                            putDuration(mdhd, 16, 24, ticks);
                            putDuration(tkhd[0], 20, 28, inMovie);
                            movieDuration[0] = Math.max(movieDuration[0], inMovie);
                        }
                    });
                }
            });
        });
        Fmp4Layout.children(moov.rewind(), (type, body) -> {
            if (type.equals("mvhd")) {
                putDuration(body, 16, 24, movieDuration[0]);
            } else if (type.equals("mvex")) {
                Fmp4Layout.children(body, (t, mehd) -> {
                    if (t.equals("mehd")) {
                        putDuration(mehd, 4, 4, movieDuration[0]);
                    }
                });
            }
        });
    }

    /** The timescale of an mvhd or mdhd body (same layout), or 0 if it is cut short. */
    private static long timescale(ByteBuffer fullBox) {
        int at = fullBox.limit() > 0 && fullBox.get(0) == 1 ? 20 : 12;
        return at + 4 <= fullBox.limit() ? Integer.toUnsignedLong(fullBox.getInt(at)) : 0;
    }

    /** Version 1 boxes hold a 64-bit duration, version 0 a 32-bit one (left alone if it does not fit). */
    private static void putDuration(ByteBuffer fullBox, int version0At, int version1At, long value) {
        if (fullBox.limit() == 0 || value <= 0) {
            return;
        }
        if (fullBox.get(0) == 1) {
            if (version1At + 8 <= fullBox.limit()) {
                fullBox.putLong(version1At, value);
            }
        } else if (version0At + 4 <= fullBox.limit() && value <= 0xFFFF_FFFFL) {
            fullBox.putInt(version0At, (int) value);
        }
    }
}
