package dev.tunnelcast.server.archive;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;

/**
 * Counts the frames and measures the duration of a recorded file by demuxing it with
 * FFmpeg (no decoding). Used to fill in the index entry of a recovered segment.
 */
record MediaProbe(long videoFrames, long audioFrames, long durationMicros) {

    static MediaProbe of(Path file) throws IOException {
        AVFormatContext context = new AVFormatContext(null);
        Fmp4Muxer.check(avformat_open_input(context, file.toString(), null, null), "open " + file);
        AVPacket packet = av_packet_alloc();
        try {
            long video = 0;
            long audio = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            while (av_read_frame(context, packet) >= 0) {
                AVStream stream = context.streams(packet.stream_index());
                int type = stream.codecpar().codec_type();
                if (type == AVMEDIA_TYPE_VIDEO) {
                    video++;
                } else if (type == AVMEDIA_TYPE_AUDIO) {
                    audio++;
                }
                if (packet.pts() != AV_NOPTS_VALUE) {
                    long start = av_rescale_q(packet.pts(), stream.time_base(), av_make_q(1, 1_000_000));
                    long end = av_rescale_q(packet.pts() + packet.duration(), stream.time_base(), av_make_q(1, 1_000_000));
                    first = Math.min(first, start);
                    last = Math.max(last, end);
                }
                av_packet_unref(packet);
            }
            long duration = first == Long.MAX_VALUE ? 0 : last - first;
            // a damaged file's timestamps can overflow or run backwards: no duration rather than a negative one
            return new MediaProbe(video, audio, Math.max(0, duration));
        } finally {
            av_packet_free(packet);
            avformat_close_input(context);
        }
    }
}
