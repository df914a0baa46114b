package dev.tunnelcast.bench.archive;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;

/**
 * Real H.264 (libx264, no B-frames, 2 s GOP like the capture agent) + Opus (20 ms) packets in
 * the agent's wire shape: encoded by the FFmpeg CLI, read back with FFmpeg's demuxer (AVCC
 * access units with the avcC, Opus packets with the OpusHead). Track 1 video, 2 audio.
 */
public record EncodedMedia(List<TrackConfig> tracks, List<MediaPacket> packets) {

    public static final int FPS = 30;

    /** Encodes {@code seconds} of 640x360 test video and a tone into {@code dir} and reads the packets back. */
    public static EncodedMedia encode(Path dir, int seconds) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("source.mp4");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-y", "-v", "error",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=" + FPS,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0", "-g", "60",
                "-pix_fmt", "yuv420p", "-c:a", "libopus", "-b:a", "48k", "-frame_duration", "20", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(ffmpeg.getInputStream().readAllBytes());
        if (!ffmpeg.waitFor(120, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + out);
        }
        return demux(file);
    }

    /** How long the media plays: the end of its last packet, from the first. */
    public long durationMicros() {
        long first = packets.get(0).getPtsMicros();
        return packets.stream().mapToLong(p -> p.getPtsMicros() + p.getDurationMicros()).max().orElse(first) - first;
    }

    private static EncodedMedia demux(Path file) {
        AVFormatContext context = new AVFormatContext(null);
        if (avformat_open_input(context, file.toString(), null, null) < 0
                || avformat_find_stream_info(context, (org.bytedeco.javacpp.PointerPointer<?>) null) < 0) {
            throw new IllegalStateException("cannot read " + file);
        }
        List<TrackConfig> tracks = new ArrayList<>();
        int[] trackOfStream = new int[context.nb_streams()];
        for (int i = 0; i < context.nb_streams(); i++) {
            AVCodecParameters par = context.streams(i).codecpar();
            byte[] extra = new byte[par.extradata_size()];
            par.extradata().get(extra);
            boolean video = par.codec_type() == AVMEDIA_TYPE_VIDEO;
            trackOfStream[i] = video ? 1 : 2;
            TrackConfig.Builder config = TrackConfig.newBuilder().setTrackId(trackOfStream[i])
                    .setKind(video ? TrackKind.TRACK_KIND_VIDEO : TrackKind.TRACK_KIND_AUDIO)
                    .setDecoderConfig(ByteString.copyFrom(extra));
            if (video) {
                config.setCodec(String.format("avc1.%02X%02X%02X", extra[1], extra[2], extra[3]))
                        .setWidth(par.width()).setHeight(par.height()).setFrameRate(FPS);
            } else {
                config.setCodec("opus").setSampleRate(48_000).setChannels(par.ch_layout().nb_channels());
            }
            tracks.add(config.build());
        }
        List<MediaPacket> packets = new ArrayList<>();
        long[] sequence = new long[3];
        AVPacket packet = av_packet_alloc();
        while (av_read_frame(context, packet) >= 0) {
            var stream = context.streams(packet.stream_index());
            int track = trackOfStream[packet.stream_index()];
            byte[] payload = new byte[packet.size()];
            packet.data().get(payload);
            long pts = av_rescale_q(packet.pts(), stream.time_base(), av_make_q(1, 1_000_000));
            long duration = av_rescale_q(packet.duration(), stream.time_base(), av_make_q(1, 1_000_000));
            packets.add(MediaPacket.newBuilder().setTrackId(track).setSequence(++sequence[track])
                    .setPtsMicros(pts + 1_000_000).setDurationMicros((int) duration)
                    .setKeyframe((packet.flags() & AV_PKT_FLAG_KEY) != 0)
                    .setPayload(ByteString.copyFrom(payload)).build());
            av_packet_unref(packet);
        }
        av_packet_free(packet);
        avformat_close_input(context);
        packets.sort(Comparator.comparingLong(MediaPacket::getPtsMicros));
        tracks.sort(Comparator.comparingInt(TrackConfig::getTrackId));
        return new EncodedMedia(List.copyOf(tracks), List.copyOf(packets));
    }
}
