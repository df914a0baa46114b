package dev.tunnelcast.server.archive;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.relay.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;

/**
 * Real H.264 + Opus packets shaped as the capture agent sends them: the FFmpeg CLI encodes
 * test sources (libx264 without B-frames, libopus 20 ms) into an MP4, and FFmpeg's demuxer
 * (through JavaCPP) reads back AVCC access units with the avcC, and Opus packets with the
 * OpusHead. Track 1 is video at 30 fps, track 2 audio at 48 kHz.
 */
record MediaFixture(List<TrackConfig> tracks, List<MediaPacket> packets) {

    static final double FPS = 30;
    static final long FRAME_MICROS = 33_333;
    /** The publisher's media timeline starts here (arbitrary, as an agent's would). */
    static final long TIMELINE_OFFSET_MICROS = 5_000_000;

    private static final Map<String, MediaFixture> CACHE = new HashMap<>();

    /** {@code seconds} of media with a keyframe every {@code gopFrames} frames. */
    static synchronized MediaFixture generate(int seconds, int gopFrames) throws Exception {
        String key = seconds + "s-" + gopFrames;
        MediaFixture cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        Path dir = Path.of("target", "archive-fixtures");
        Files.createDirectories(dir);
        Path file = dir.resolve("fixture-" + key + ".mp4");
        if (!Files.exists(file)) {
            Path tmp = dir.resolve("tmp-" + key + ".mp4");
            Tools.run(List.of("ffmpeg", "-y", "-v", "error",
                    "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", Integer.toString(seconds),
                    "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0",
                    "-g", Integer.toString(gopFrames), "-keyint_min", Integer.toString(gopFrames),
                    "-pix_fmt", "yuv420p",
                    "-c:a", "libopus", "-b:a", "48k", "-frame_duration", "20",
                    tmp.toString()), 60);
            Files.move(tmp, file);
        }
        MediaFixture fixture = demux(file);
        CACHE.put(key, fixture);
        return fixture;
    }

    private static MediaFixture demux(Path file) throws IOException {
        AVFormatContext context = new AVFormatContext(null);
        Fmp4Muxer.check(avformat_open_input(context, file.toString(), null, null), "open fixture");
        Fmp4Muxer.check(avformat_find_stream_info(context, (org.bytedeco.javacpp.PointerPointer<?>) null), "probe fixture");
        List<TrackConfig> tracks = new ArrayList<>();
        Map<Integer, Integer> trackOfStream = new HashMap<>();
        for (int i = 0; i < context.nb_streams(); i++) {
            AVCodecParameters par = context.streams(i).codecpar();
            byte[] extra = new byte[par.extradata_size()];
            par.extradata().get(extra);
            boolean video = par.codec_type() == AVMEDIA_TYPE_VIDEO;
            TrackConfig.Builder config = TrackConfig.newBuilder()
                    .setTrackId(video ? 1 : 2)
                    .setKind(video ? TrackKind.TRACK_KIND_VIDEO : TrackKind.TRACK_KIND_AUDIO)
                    .setDecoderConfig(ByteString.copyFrom(extra));
            if (video) {
                config.setCodec(String.format("avc1.%02X%02X%02X", extra[1], extra[2], extra[3]))
                        .setWidth(par.width()).setHeight(par.height()).setFrameRate(FPS);
            } else {
                config.setCodec("opus").setSampleRate(48_000).setChannels(par.ch_layout().nb_channels());
            }
            tracks.add(config.build());
            trackOfStream.put(i, video ? 1 : 2);
        }
        List<MediaPacket> packets = new ArrayList<>();
        Map<Integer, Long> sequences = new HashMap<>();
        AVPacket packet = av_packet_alloc();
        try {
            while (av_read_frame(context, packet) >= 0) {
                AVStream stream = context.streams(packet.stream_index());
                int track = trackOfStream.get(packet.stream_index());
                byte[] payload = new byte[packet.size()];
                packet.data().get(payload);
                long pts = av_rescale_q(packet.pts(), stream.time_base(), av_make_q(1, 1_000_000));
                long duration = av_rescale_q(packet.duration(), stream.time_base(), av_make_q(1, 1_000_000));
                long sequence = sequences.merge(track, 1L, Long::sum);
                packets.add(MediaPacket.newBuilder().setTrackId(track).setSequence(sequence)
                        .setPtsMicros(pts + TIMELINE_OFFSET_MICROS).setDurationMicros((int) duration)
                        .setKeyframe((packet.flags() & AV_PKT_FLAG_KEY) != 0)
                        .setPayload(ByteString.copyFrom(payload)).build());
                av_packet_unref(packet);
            }
        } finally {
            av_packet_free(packet);
            avformat_close_input(context);
        }
        // The agent sends in capture order: interleave the tracks by presentation time.
        packets.sort(Comparator.comparingLong(MediaPacket::getPtsMicros));
        tracks.sort(Comparator.comparingInt(TrackConfig::getTrackId));
        return new MediaFixture(List.copyOf(tracks), List.copyOf(packets));
    }

    /** Publishes the fixture to {@code observer} as a relay would, receive times following the pts. */
    void publish(StreamObserver observer, String stream, String session, long wallStartMicros) {
        observer.publisherStarted(stream, session);
        tracks.forEach(t -> observer.trackConfig(stream, t));
        long firstPts = packets.get(0).getPtsMicros();
        for (MediaPacket p : packets) {
            observer.mediaPacket(stream, p, wallStartMicros + p.getPtsMicros() - firstPts);
        }
    }

    long count(TrackKind kind, long fromPtsMicros) {
        int track = kind == TrackKind.TRACK_KIND_VIDEO ? 1 : 2;
        return packets.stream().filter(p -> p.getTrackId() == track && p.getPtsMicros() >= fromPtsMicros).count();
    }

    long firstKeyframePts() {
        return packets.stream().filter(p -> p.getTrackId() == 1 && p.getKeyframe()).findFirst().orElseThrow().getPtsMicros();
    }
}
