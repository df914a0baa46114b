package dev.tunnelcast.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.server.cluster.PacedMedia.SentFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which of the frames a {@link PacedMedia} sent one recorded segment holds, read back with
 * ffprobe: the segment's video must be a run of consecutive sent frames (same payload sizes,
 * same spacing of timestamps, none missing, none repeated) starting at a keyframe. The sender
 * loops its fixture, so several places can match; the one sent nearest the segment's start
 * (wall clock, relay and test on one machine) is taken.
 */
record RecordedVideo(int first, int count) {

    /** Timestamps are rounded to the track's timescale in the file. */
    private static final long PTS_TOLERANCE_MICROS = 1_000;

    /** Index just past the run's last frame in the sent list. */
    int end() {
        return first + count;
    }

    static RecordedVideo locate(Path mp4, List<SentFrame> sent, long segmentStartWallMicros) throws Exception {
        List<Frame> recorded = probe(mp4);
        assertThat(recorded).as("video frames in %s", mp4).isNotEmpty();
        int best = -1;
        for (int start = 0; start + recorded.size() <= sent.size(); start++) {
            if (matchesAt(recorded, sent, start) && (best < 0 || distance(sent, start, segmentStartWallMicros)
                    < distance(sent, best, segmentStartWallMicros))) {
                best = start;
            }
        }
        assertThat(best).as("%s: its %d video frames are not a run of consecutive sent frames from a keyframe"
                + " (a frame lost, repeated or out of order)", mp4, recorded.size()).isNotNegative();
        return new RecordedVideo(best, recorded.size());
    }

    private static long distance(List<SentFrame> sent, int index, long wallMicros) {
        return Math.abs(sent.get(index).wallMicros() - wallMicros);
    }

    private static boolean matchesAt(List<Frame> recorded, List<SentFrame> sent, int start) {
        if (!sent.get(start).keyframe() || !recorded.get(0).keyframe()) {
            return false;
        }
        long sentOrigin = sent.get(start).ptsMicros();
        long recordedOrigin = recorded.get(0).ptsMicros();
        for (int i = 0; i < recorded.size(); i++) {
            SentFrame s = sent.get(start + i);
            Frame r = recorded.get(i);
            if (s.size() != r.size() || s.keyframe() != r.keyframe()
                    || Math.abs((s.ptsMicros() - sentOrigin) - (r.ptsMicros() - recordedOrigin)) > PTS_TOLERANCE_MICROS) {
                return false;
            }
        }
        return true;
    }

    private record Frame(long ptsMicros, int size, boolean keyframe) {}

    /** ffprobe's video packets of {@code file}, in file order. */
    private static List<Frame> probe(Path file) throws Exception {
        Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=pts_time,size,flags", "-of", "compact=p=0", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(ffprobe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffprobe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffprobe.exitValue()).as(out).isZero();
        List<Frame> frames = new ArrayList<>();
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            Map<String, String> fields = new HashMap<>();
            for (String field : line.split("\\|")) {
                String[] kv = field.split("=", 2);
                fields.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            frames.add(new Frame(Math.round(Double.parseDouble(fields.get("pts_time")) * 1e6),
                    Integer.parseInt(fields.get("size")), fields.get("flags").startsWith("K")));
        }
        return frames;
    }
}
