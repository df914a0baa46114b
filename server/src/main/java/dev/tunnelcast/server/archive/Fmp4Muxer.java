package dev.tunnelcast.server.archive;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_EXPERIMENTAL;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_format;
import static org.bytedeco.ffmpeg.global.avformat.avformat_query_codec;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avformat.avio_tell;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

/**
 * Writes one fragmented MP4 file through FFmpeg's mp4 muxer: packets in, no re-encode.
 * H.264 arrives in AVCC form with its avcC as extradata, VP8/VP9 as raw frames (FFmpeg
 * builds the vpcC), AV1 as temporal units with the av1C as extradata, Opus as raw packets
 * with OpusHead.
 *
 * <p>Crash safety comes from the layout: {@code empty_moov} puts the complete track
 * description first, then every ~{@code fragmentDuration} (and at every video keyframe) a
 * self-contained moof+mdat is written and flushed to the OS. A process killed at any point
 * leaves a file whose complete fragments play; {@link Fmp4Layout} trims the partial tail.
 *
 * <p>Not thread-safe: one writer thread owns it.
 */
final class Fmp4Muxer implements AutoCloseable {

    private static final AVRational MICROS = av_make_q(1, 1_000_000);

    /** Codecs the recorder can put into MP4 (others are left out of the segment). */
    static boolean supported(TrackConfig config) {
        int id = codecId(config);
        return id != AV_CODEC_ID_NONE && avformat_query_codec(MP4, id, FF_COMPLIANCE_EXPERIMENTAL) == 1;
    }

    private static final AVOutputFormat MP4 = av_guess_format("mp4", null, null);

    /**
     * FFmpeg's codec for a TrackConfig's codec string: avc1/avc3 (H.264), vp8, vp09, av01,
     * opus; anything else is NONE. The MP4 muxer then says whether it can hold it.
     */
    static int codecId(TrackConfig config) {
        String codec = config.getCodec();
        if (config.getKind() == TrackKind.TRACK_KIND_VIDEO) {
            if (codec.startsWith("avc1.") || codec.startsWith("avc3.")) {
                return AV_CODEC_ID_H264;
            }
            if (codec.equals("vp8")) {
                return AV_CODEC_ID_VP8;
            }
            if (codec.startsWith("vp09.")) {
                return AV_CODEC_ID_VP9;
            }
            if (codec.startsWith("av01.")) {
                return AV_CODEC_ID_AV1;
            }
        } else if (config.getKind() == TrackKind.TRACK_KIND_AUDIO && codec.equals("opus")) {
            return AV_CODEC_ID_OPUS;
        }
        return AV_CODEC_ID_NONE;
    }

    private final Path file;
    private AVFormatContext context;
    private final AVPacket packet;
    private final Map<Integer, AVStream> streams = new HashMap<>();
    /** Each track's last packet, written when the next one tells its duration (or at close). */
    private final Map<Integer, Held> held = new HashMap<>();
    private boolean headerWritten;

    private Fmp4Muxer(Path file) {
        this.file = file;
        this.packet = av_packet_alloc();
    }

    /** Creates {@code file} and writes the init part (ftyp + moov) for {@code tracks}. */
    static Fmp4Muxer open(Path file, List<TrackConfig> tracks, long fragmentMicros) throws IOException {
        Fmp4Muxer muxer = new Fmp4Muxer(file);
        try {
            muxer.start(tracks, fragmentMicros);
            return muxer;
        } catch (IOException | RuntimeException e) {
            muxer.abort();
            throw e;
        }
    }

    private void start(List<TrackConfig> tracks, long fragmentMicros) throws IOException {
        context = new AVFormatContext(null);
        check(avformat_alloc_output_context2(context, null, "mp4", file.toString()), "allocate mp4 muxer");
        for (TrackConfig track : tracks) {
            AVStream stream = avformat_new_stream(context, null);
            if (stream == null) {
                throw new IOException("FFmpeg could not add a stream for track " + track.getTrackId());
            }
            describe(stream.codecpar(), track);
            stream.time_base(track.getKind() == TrackKind.TRACK_KIND_VIDEO
                    ? av_make_q(1, 90_000) : av_make_q(1, 48_000));
            streams.put(track.getTrackId(), stream);
        }
        AVIOContext io = new AVIOContext(null);
        check(avio_open(io, file.toString(), AVIO_FLAG_WRITE), "create " + file);
        context.pb(io);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
        av_dict_set(options, "frag_duration", Long.toString(fragmentMicros), 0);
        // Each completed fragment leaves FFmpeg's I/O buffer at once: what kill -9 may lose
        // is only the fragment being collected.
        av_dict_set(options, "flush_packets", "1", 0);
        av_dict_set(options, "strict", "experimental", 0);
        try {
            check(avformat_write_header(context, options), "write MP4 header to " + file);
        } finally {
            av_dict_free(options);
        }
        headerWritten = true;
    }

    private static void describe(AVCodecParameters par, TrackConfig track) {
        byte[] extra = track.getDecoderConfig().toByteArray();
        if (track.getKind() == TrackKind.TRACK_KIND_VIDEO) {
            par.codec_type(AVMEDIA_TYPE_VIDEO);
            par.codec_id(codecId(track));
            par.width(track.getWidth());
            par.height(track.getHeight());
            if (par.codec_id() == AV_CODEC_ID_VP8 || par.codec_id() == AV_CODEC_ID_VP9) {
                // The wire's vpcC is not codec extradata: FFmpeg writes its own vpcC from the
                // parameters (and the first frame), so hand it the profile and level instead.
                if (extra.length >= 6) {
                    par.profile(extra[4]);
                    par.level(extra[5]);
                }
                extra = new byte[0];
            }
        } else {
            par.codec_type(AVMEDIA_TYPE_AUDIO);
            par.codec_id(AV_CODEC_ID_OPUS);
            par.sample_rate(48_000);
            av_channel_layout_default(par.ch_layout(), Math.max(1, track.getChannels()));
            par.frame_size(960); // 20 ms, the agent's packet size; only a hint for the muxer
        }
        if (extra.length > 0) {
            BytePointer data = new BytePointer(av_malloc(extra.length + AV_INPUT_BUFFER_PADDING_SIZE))
                    .capacity(extra.length + AV_INPUT_BUFFER_PADDING_SIZE);
            data.put(extra);
            data.position(extra.length).put(new byte[AV_INPUT_BUFFER_PADDING_SIZE]).position(0);
            par.extradata(data);
            par.extradata_size(extra.length);
        }
    }

    boolean hasTrack(int trackId) {
        return streams.containsKey(trackId);
    }

    /** A packet taken but not yet written: its timestamp and declared duration in its stream's ticks. */
    private record Held(int trackId, ByteString payload, long ticks, long declaredTicks, boolean keyframe) {}

    /**
     * Takes one access unit; {@code ptsMicros} is relative to the segment start and must
     * increase per track (no B-frames: dts = pts). It is written when the track's next packet
     * comes, with the distance to it as its duration: FFmpeg's muxer starts a fragment where
     * the durations of the last one end, and moved the packets behind it when a publisher's
     * declared durations overran (a browser under load sends frames closer than it says).
     */
    void write(int trackId, ByteString payload, long ptsMicros, long durationMicros, boolean keyframe)
            throws IOException {
        AVRational tb = streams.get(trackId).time_base();
        // Strictly increasing in the file's own ticks (1/90,000 s for video): two frames less than a tick apart
        // (a browser publisher sent two less than 11 µs apart) would otherwise share a timestamp, which the muxer refuses
        // or a demuxer reads as one packet. Moved by a tick, the frame is kept.
        Held previous = held.get(trackId);
        long ticks = Math.max(av_rescale_q(ptsMicros, MICROS, tb), previous == null ? Long.MIN_VALUE : previous.ticks() + 1);
        held.put(trackId, new Held(trackId, payload, ticks, av_rescale_q(durationMicros, MICROS, tb), keyframe));
        if (previous != null) {
            writeNow(previous, ticks - previous.ticks());
        }
    }

    private void writeNow(Held h, long durationTicks) throws IOException {
        AVStream stream = streams.get(h.trackId());
        ByteString payload = h.payload();
        check(av_new_packet(packet, payload.size()), "allocate packet");
        try {
            payload.copyTo(packet.data().capacity(payload.size()).asByteBuffer()); // one copy, into FFmpeg's buffer
            packet.pts(h.ticks());
            packet.dts(h.ticks());
            packet.duration(durationTicks);
            packet.stream_index(stream.index());
            packet.flags(h.keyframe() ? AV_PKT_FLAG_KEY : 0);
            check(av_write_frame(context, packet), "write to " + file);
            if (context.pb().error() < 0) {
                check(context.pb().error(), "write to " + file);
            }
        } finally {
            av_packet_unref(packet);
        }
    }

    /** How many bytes FFmpeg has written to the file; it moves when a fragment is finished. */
    long writtenBytes() {
        return avio_tell(context.pb());
    }

    /** Writes the last fragment and the trailer, then closes the file. */
    @Override
    public void close() throws IOException {
        if (context == null) {
            return;
        }
        try {
            if (headerWritten) {
                for (Held h : held.values()) {
                    writeNow(h, h.declaredTicks()); // the last of each track: only its declared duration is known
                }
                held.clear();
                check(av_write_trailer(context), "finish " + file);
            }
        } finally {
            abort();
        }
    }

    /** Releases everything without writing more (after a write error). */
    void abort() {
        if (context != null) {
            if (context.pb() != null) {
                avio_closep(context.pb());
            }
            avformat_free_context(context);
            context = null;
        }
        if (!packet.isNull()) {
            av_packet_free(packet);
        }
    }

    static void check(int ret, String what) throws IOException {
        if (ret < 0) {
            String reason;
            try (BytePointer buf = new BytePointer(256)) {
                av_strerror(ret, buf, 256);
                // up to the terminating NUL: getString() reads all 256 bytes, the rest is stale memory
                reason = buf.limit(BytePointer.strlen(buf)).getString();
            }
            throw new IOException("cannot " + what + ": " + reason + " (FFmpeg error " + ret + ")");
        }
    }
}
