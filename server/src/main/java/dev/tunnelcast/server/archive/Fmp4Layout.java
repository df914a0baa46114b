package dev.tunnelcast.server.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the parts of a fragmented MP4 file are: the init part (ftyp + moov) and every
 * complete moof+mdat fragment with its duration. Reads only box headers and the small
 * moov/moof boxes, never media data.
 *
 * <p>Used by crash recovery (truncate after the last complete fragment) and by the HLS
 * playlist (byte ranges and durations of the fragments). {@code trackTicks} is, per track id,
 * the sum of the sample durations of the complete fragments in that track's timescale (what
 * {@link MovieDurations} writes into the header).
 */
record Fmp4Layout(long initLength, List<Fragment> fragments, long fileLength, Map<Long, Long> trackTicks) {

    /**
     * One moof+mdat pair: where it starts, how long it is, how long it plays, and whether it
     * starts with a video sync sample (always true for a file without video).
     */
    record Fragment(long offset, long length, double durationSeconds, boolean startsWithKeyframe) {}

    /** Where the last complete fragment ends (or the init part, if there is no fragment). */
    long completeLength() {
        return fragments.isEmpty() ? initLength
                : fragments.get(fragments.size() - 1).offset() + fragments.get(fragments.size() - 1).length();
    }

    /** Reads the layout; {@code initLength} is 0 when the file has no complete moov. */
    static Fmp4Layout read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            long initLength = 0;
            Map<Long, Long> timescales = new HashMap<>();
            Map<Long, Long> trexDurations = new HashMap<>();
            Map<Long, Integer> trexFlags = new HashMap<>();
            long[] videoTrack = {-1};
            List<Fragment> fragments = new ArrayList<>();
            long pendingMoof = -1;
            double pendingDuration = 0;
            Map<Long, Long> pendingTicks = Map.of();
            Map<Long, Long> trackTicks = new HashMap<>();
            boolean pendingKeyframe = true;
            while (pos + 8 <= size) {
                ByteBuffer header = read(ch, pos, 16);
                long boxSize = Integer.toUnsignedLong(header.getInt(0));
                String type = type(header, 4);
                int headerLength = 8;
                if (boxSize == 1 && header.limit() >= 16) {
                    boxSize = header.getLong(8);
                    headerLength = 16;
                } else if (boxSize == 0) {
                    boxSize = size - pos; // "to the end of the file": only valid if complete
                }
                if (boxSize < headerLength || pos + boxSize > size) {
                    break; // a box cut short by a crash: everything from here is discarded
                }
                switch (type) {
                    case "moov" -> {
                        ByteBuffer moov = read(ch, pos + headerLength, (int) (boxSize - headerLength));
                        parseMoov(moov, timescales, trexDurations, trexFlags, videoTrack);
                        initLength = pos + boxSize;
                    }
                    case "moof" -> {
                        ByteBuffer moof = read(ch, pos + headerLength, (int) (boxSize - headerLength));
                        pendingMoof = pos;
                        pendingTicks = moofTicks(moof, trexDurations);
                        pendingDuration = longestSeconds(pendingTicks, timescales);
                        pendingKeyframe = videoTrack[0] < 0 || startsWithSync(moof, videoTrack[0], trexFlags);
                    }
                    case "mdat" -> {
                        if (pendingMoof >= 0) {
                            fragments.add(new Fragment(pendingMoof, pos + boxSize - pendingMoof, pendingDuration,
                                    pendingKeyframe));
                            pendingMoof = -1;
                            pendingTicks.forEach((track, ticks) -> trackTicks.merge(track, ticks, Long::sum));
                        }
                    }
                    default -> { }
                }
                pos += boxSize;
            }
            return new Fmp4Layout(initLength, List.copyOf(fragments), size, Map.copyOf(trackTicks));
        }
    }

    /** Up to {@code length} bytes at {@code pos} (fewer where the file ends). */
    static ByteBuffer read(FileChannel ch, long pos, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length, Math.max(0, ch.size() - pos)));
        while (buf.hasRemaining() && ch.read(buf, pos + buf.position()) > 0) {
            // keep reading
        }
        return buf.flip();
    }

    static String type(ByteBuffer buf, int at) {
        return new String(new byte[] {buf.get(at), buf.get(at + 1), buf.get(at + 2), buf.get(at + 3)},
                java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Calls {@code visitor} for every child box of {@code parent} (positioned at its payload). */
    static void children(ByteBuffer parent, BoxVisitor visitor) {
        int pos = parent.position();
        while (pos + 8 <= parent.limit()) {
            long size = Integer.toUnsignedLong(parent.getInt(pos));
            String type = type(parent, pos + 4);
            if (size < 8 || pos + size > parent.limit()) {
                return;
            }
            ByteBuffer body = parent.duplicate().position(pos + 8).limit((int) (pos + size)).slice();
            visitor.visit(type, body);
            pos += (int) size;
        }
    }

    interface BoxVisitor {
        void visit(String type, ByteBuffer body);
    }

    private static void parseMoov(ByteBuffer moov, Map<Long, Long> timescales, Map<Long, Long> trexDurations,
            Map<Long, Integer> trexFlags, long[] videoTrack) {
        children(moov, (type, body) -> {
            if (type.equals("trak")) {
                long[] trackId = {0};
                long[] timescale = {0};
                boolean[] video = {false};
                children(body, (t, b) -> {
                    if (t.equals("tkhd")) {
                        trackId[0] = Integer.toUnsignedLong(b.getInt(b.get(0) == 1 ? 20 : 12));
                    } else if (t.equals("mdia")) {
                        children(b, (t2, b2) -> {
                            if (t2.equals("mdhd")) {
                                timescale[0] = Integer.toUnsignedLong(b2.getInt(b2.get(0) == 1 ? 20 : 12));
                            } else if (t2.equals("hdlr")) {
                                video[0] = type(b2, 8).equals("vide");
                            }
                        });
                    }
                });
                timescales.put(trackId[0], timescale[0]);
                if (video[0] && videoTrack[0] < 0) {
                    videoTrack[0] = trackId[0];
                }
            } else if (type.equals("mvex")) {
                children(body, (t, b) -> {
                    if (t.equals("trex")) {
                        trexDurations.put(Integer.toUnsignedLong(b.getInt(4)), Integer.toUnsignedLong(b.getInt(12)));
                        trexFlags.put(Integer.toUnsignedLong(b.getInt(4)), b.getInt(20));
                    }
                });
            }
        });
    }

    /** The longest track duration of a moof, in seconds. */
    private static double longestSeconds(Map<Long, Long> ticks, Map<Long, Long> timescales) {
        double longest = 0;
        for (Map.Entry<Long, Long> track : ticks.entrySet()) {
            long timescale = timescales.getOrDefault(track.getKey(), 0L);
            if (timescale > 0) {
                longest = Math.max(longest, track.getValue() / (double) timescale);
            }
        }
        return longest;
    }

    /** Per track of a moof, the sum of its sample durations (in the track's timescale). */
    private static Map<Long, Long> moofTicks(ByteBuffer moof, Map<Long, Long> trexDurations) {
        Map<Long, Long> ticks = new HashMap<>();
        children(moof, (type, traf) -> {
            if (!type.equals("traf")) {
                return;
            }
            long[] trackId = {0};
            long[] defaultDuration = {0};
            long[] total = {0};
            children(traf, (t, b) -> {
                if (t.equals("tfhd")) {
                    int flags = b.getInt(0) & 0xFFFFFF;
                    trackId[0] = Integer.toUnsignedLong(b.getInt(4));
                    int at = 8;
                    if ((flags & 0x1) != 0) at += 8;
                    if ((flags & 0x2) != 0) at += 4;
                    defaultDuration[0] = (flags & 0x8) != 0 ? Integer.toUnsignedLong(b.getInt(at))
                            : trexDurations.getOrDefault(trackId[0], 0L);
                } else if (t.equals("trun")) {
                    total[0] += trunDuration(b, defaultDuration[0]);
                }
            });
            ticks.merge(trackId[0], total[0], Long::sum);
        });
        return ticks;
    }

    /** Whether the first sample of {@code track} in this moof is a sync sample (keyframe). */
    private static boolean startsWithSync(ByteBuffer moof, long track, Map<Long, Integer> trexFlags) {
        int[] flags = {-1};
        children(moof, (type, traf) -> {
            if (!type.equals("traf") || flags[0] != -1) {
                return;
            }
            long[] trackId = {-1};
            int[] defaultFlags = {0};
            children(traf, (t, b) -> {
                if (t.equals("tfhd")) {
                    int f = b.getInt(0) & 0xFFFFFF;
                    trackId[0] = Integer.toUnsignedLong(b.getInt(4));
                    int at = 8;
                    if ((f & 0x1) != 0) at += 8;
                    if ((f & 0x2) != 0) at += 4;
                    if ((f & 0x8) != 0) at += 4;
                    if ((f & 0x10) != 0) at += 4;
                    defaultFlags[0] = (f & 0x20) != 0 ? b.getInt(at) : trexFlags.getOrDefault(trackId[0], 0);
                } else if (t.equals("trun") && trackId[0] == track && flags[0] == -1) {
                    int f = b.getInt(0) & 0xFFFFFF;
                    int at = 8 + ((f & 0x1) != 0 ? 4 : 0);
                    if ((f & 0x4) != 0) {
                        flags[0] = b.getInt(at);
                    } else if ((f & 0x400) != 0) {
                        at += ((f & 0x100) != 0 ? 4 : 0) + ((f & 0x200) != 0 ? 4 : 0);
                        flags[0] = b.getInt(at);
                    } else {
                        flags[0] = defaultFlags[0];
                    }
                }
            });
        });
        // no video sample in this fragment: it does not start a video segment
        return flags[0] != -1 && (flags[0] & 0x0001_0000) == 0;
    }

    private static long trunDuration(ByteBuffer trun, long defaultDuration) {
        int flags = trun.getInt(0) & 0xFFFFFF;
        long count = Integer.toUnsignedLong(trun.getInt(4));
        int at = 8;
        if ((flags & 0x1) != 0) at += 4; // data offset
        if ((flags & 0x4) != 0) at += 4; // first sample flags
        int perSample = Integer.bitCount(flags & 0xF00) * 4;
        if ((flags & 0x100) == 0) {
            return count * defaultDuration;
        }
        long total = 0;
        for (long i = 0; i < count && at + 4 <= trun.limit(); i++, at += perSample) {
            total += Integer.toUnsignedLong(trun.getInt(at));
        }
        return total;
    }
}
