package dev.tunnelcast.server.archive;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;

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
public record MediaFixture(List<TrackConfig> tracks, List<MediaPacket> packets) {

    static final double FPS = 30;
    static final long FRAME_MICROS = 33_333;
    /** The publisher's media timeline starts here (arbitrary, as an agent's would). */
    static final long TIMELINE_OFFSET_MICROS = 5_000_000;

    private static final Map<String, MediaFixture> CACHE = new HashMap<>();

    /** {@code seconds} of H.264 + Opus with a keyframe every {@code gopFrames} frames. */
    public static MediaFixture generate(int seconds, int gopFrames) throws Exception {
        return generate(seconds, gopFrames, "h264");
    }

    /**
     * {@code seconds} of media with a keyframe every {@code gopFrames} frames; video in
     * {@code codec}: h264 (through MP4), or vp8, vp9, av1 (through Matroska, which carries
     * VP frames and AV1 temporal units without temporal delimiters, as the agent sends them).
     */
    static synchronized MediaFixture generate(int seconds, int gopFrames, String codec) throws Exception {
        String key = seconds + "s-" + gopFrames + (codec.equals("h264") ? "" : "-" + codec);
        String extension = codec.equals("h264") ? ".mp4" : ".mkv";
        List<String> videoCodec = switch (codec) {
            case "h264" -> List.of("-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0");
            case "vp8" -> List.of("-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-lag-in-frames", "0",
                    "-b:v", "300k");
            case "vp9" -> List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
                    "-lag-in-frames", "0", "-b:v", "300k");
            case "av1" -> List.of("-c:v", "libsvtav1", "-preset", "10", "-svtav1-params", "pred-struct=1:scd=0",
                    "-b:v", "300k");
            default -> throw new IllegalArgumentException(codec);
        };
        MediaFixture cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        Path dir = Path.of("target", "archive-fixtures");
        Files.createDirectories(dir);
        Path file = dir.resolve("fixture-" + key + extension);
        if (!Files.exists(file)) {
            Path tmp = dir.resolve("tmp-" + key + extension);
            List<String> command = new ArrayList<>(List.of("ffmpeg", "-y", "-v", "error",
                    "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", Integer.toString(seconds), "-threads", "1"));
            command.addAll(videoCodec);
            command.addAll(List.of("-g", Integer.toString(gopFrames), "-keyint_min", Integer.toString(gopFrames),
                    "-pix_fmt", "yuv420p",
                    "-c:a", "libopus", "-b:a", "48k", "-frame_duration", "20",
                    tmp.toString()));
            Tools.run(command, 60);
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
            if (extra.length > 0) {
                par.extradata().get(extra);
            }
            boolean video = par.codec_type() == AVMEDIA_TYPE_VIDEO;
            TrackConfig.Builder config = TrackConfig.newBuilder()
                    .setTrackId(video ? 1 : 2)
                    .setKind(video ? TrackKind.TRACK_KIND_VIDEO : TrackKind.TRACK_KIND_AUDIO)
                    .setDecoderConfig(ByteString.copyFrom(extra));
            if (video) {
                config.setCodec(wireCodec(par.codec_id(), extra))
                        .setWidth(par.width()).setHeight(par.height()).setFrameRate(FPS);
                if (par.codec_id() == AV_CODEC_ID_VP8 || par.codec_id() == AV_CODEC_ID_VP9) {
                    // the agent's vpcC: version 1, profile 0, level 2.0 (320x240@30), 8-bit 4:2:0, colour unspecified
                    config.setDecoderConfig(ByteString.copyFrom(new byte[] {1, 0, 0, 0, 0,
                            (byte) (par.codec_id() == AV_CODEC_ID_VP9 ? 20 : 0), (byte) 0x82, 2, 2, 2, 0, 0}));
                }
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

    /** The codec string the agent would announce. */
    private static String wireCodec(int codecId, byte[] extra) {
        if (codecId == AV_CODEC_ID_VP8) {
            return "vp8";
        }
        if (codecId == AV_CODEC_ID_VP9) {
            return "vp09.00.20.08";
        }
        if (codecId == AV_CODEC_ID_AV1) { // extra is the av1C
            return String.format("av01.%d.%02d%s.08", (extra[1] >> 5) & 7, extra[1] & 0x1F, (extra[2] & 0x80) != 0 ? "H" : "M");
        }
        return String.format("avc1.%02X%02X%02X", extra[1], extra[2], extra[3]);
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
