package dev.tunnelcast.server.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Renders an HLS VOD media playlist over archive segments: each MP4 file contributes its
 * init part ({@code EXT-X-MAP} byte range) and one media segment per GOP: the moof+mdat
 * fragments from one keyframe to the next ({@code EXT-X-BYTERANGE}). Files are separated by {@code EXT-X-DISCONTINUITY} (each
 * starts its timeline at zero) and dated with {@code EXT-X-PROGRAM-DATE-TIME}.
 */
final class HlsPlaylist {

    private HlsPlaylist() {}

    static String render(List<SegmentInfo> segments, Function<SegmentInfo, Path> files,
            Function<SegmentInfo, String> uris) throws IOException {
        List<String> body = new ArrayList<>();
        double longest = 1;
        boolean first = true;
        for (SegmentInfo segment : segments) {
            Fmp4Layout layout = Fmp4Layout.read(files.apply(segment));
            if (layout.fragments().isEmpty()) {
                continue;
            }
            String uri = uris.apply(segment);
            if (!first) {
                body.add("#EXT-X-DISCONTINUITY");
            }
            first = false;
            body.add("#EXT-X-PROGRAM-DATE-TIME:" + Instant.ofEpochSecond(0, segment.startWallMicros() * 1000));
            body.add("#EXT-X-MAP:URI=\"" + uri + "\",BYTERANGE=\"" + layout.initLength() + "@0\"");
            for (MediaSegment m : mediaSegments(layout.fragments())) {
                longest = Math.max(longest, m.durationSeconds());
                body.add(String.format(Locale.ROOT, "#EXTINF:%.6f,", m.durationSeconds()));
                body.add("#EXT-X-BYTERANGE:" + m.length() + "@" + m.offset());
                body.add(uri);
            }
        }
        StringBuilder out = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n")
                .append("#EXT-X-TARGETDURATION:").append((long) Math.ceil(longest)).append('\n')
                .append("#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        body.forEach(line -> out.append(line).append('\n'));
        return out.append("#EXT-X-ENDLIST\n").toString();
    }

    /** One HLS media segment: consecutive fragments from one keyframe to the next. */
    record MediaSegment(long offset, long length, double durationSeconds) {}

    /**
     * Groups fragments so that every media segment starts with a keyframe (fragments are cut
     * every second, GOPs may be longer), which keeps every segment independently decodable.
     */
    static List<MediaSegment> mediaSegments(List<Fmp4Layout.Fragment> fragments) {
        List<MediaSegment> out = new ArrayList<>();
        long offset = -1;
        long length = 0;
        double duration = 0;
        for (Fmp4Layout.Fragment f : fragments) {
            if (offset >= 0 && f.startsWithKeyframe()) {
                out.add(new MediaSegment(offset, length, duration));
                offset = -1;
            }
            if (offset < 0) {
                offset = f.offset();
                length = 0;
                duration = 0;
            }
            length += f.length();
            duration += f.durationSeconds();
        }
        if (offset >= 0) {
            out.add(new MediaSegment(offset, length, duration));
        }
        return out;
    }
}
