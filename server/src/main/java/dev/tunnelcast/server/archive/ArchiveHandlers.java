package dev.tunnelcast.server.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.ETag;
import io.undertow.util.Headers;
import io.undertow.util.MimeMappings;
import dev.tunnelcast.server.cluster.ClusterConfig;
import dev.tunnelcast.wire.StreamName;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The archive's HTTP API, as Undertow handlers for the relay's routing table:
 * <ul>
 *   <li>{@code GET /api/streams/{stream}/recordings?from=&to=}: JSON list of segments;</li>
 *   <li>{@code GET /api/streams/{stream}/recordings/{id}} (optionally {@code {id}.mp4}): the
 *       MP4 file, with HTTP Range, HEAD, a strong {@code ETag} ({@code If-None-Match},
 *       {@code If-Range}) and {@code Last-Modified};</li>
 *   <li>{@code GET /api/streams/{stream}/archive.m3u8?from=&to=}: an HLS VOD playlist whose
 *       media segments are byte ranges of the fMP4 files (CMAF).</li>
 * </ul>
 * {@code from}/{@code to} are ISO-8601 instants or epoch milliseconds; both optional. The
 * playlist's media URIs carry the request's {@code ?token=}, so that an HLS client that
 * cannot set headers can follow them.
 */
public final class ArchiveHandlers {

    public static final String LIST_PATH = "/api/streams/{stream}/recordings";
    public static final String DOWNLOAD_PATH = "/api/streams/{stream}/recordings/{id}";
    public static final String PLAYLIST_PATH = "/api/streams/{stream}/archive.m3u8";

    /** A segment id: its start, in a cluster its node and lease token, and a number if the start was taken (StreamRecording). */
    private static final Pattern ID =
            Pattern.compile("[0-9]{8}T[0-9]{9}Z(-" + ClusterConfig.NODE_NAME_PATTERN + "-r[0-9]+)?(-[0-9]{1,4})?");

    private final SegmentIndex index;
    private final ObjectMapper json = new ObjectMapper();
    private final ResourceHandler files;

    ArchiveHandlers(SegmentIndex index) {
        this.index = index;
        this.files = new ResourceHandler(PathResourceManager.builder().setBase(index.directory())
                .setTransferMinSize(1024).setETagFunction(ArchiveHandlers::etag).build())
                .setMimeMappings(MimeMappings.builder(true).addMapping("mp4", "video/mp4").build())
                .setDirectoryListingEnabled(false);
    }

    /** Adds the three routes to {@code routing}. */
    public RoutingHandler register(RoutingHandler routing) {
        return routing.get(LIST_PATH, list()).get(DOWNLOAD_PATH, download())
                .add("HEAD", DOWNLOAD_PATH, download()).get(PLAYLIST_PATH, playlist());
    }

    /** A routing handler with only the archive's routes (tests, or to nest elsewhere). */
    public RoutingHandler routes() {
        return register(Handlers.routing());
    }

    public HttpHandler list() {
        return exchange -> {
            String stream = stream(exchange);
            long[] range = timeRange(exchange);
            if (stream == null || range == null) {
                return;
            }
            if (exchange.isInIoThread()) { // other nodes' segments are read from the shared folder: not on the I/O thread
                exchange.dispatch(this.list());
                return;
            }
            index.refreshOthers(stream);
            ArrayNode out = json.createArrayNode();
            for (SegmentInfo s : index.list(stream, range[0], range[1])) {
                ObjectNode node = json.valueToTree(s);
                node.put("url", "/api/streams/" + stream + "/recordings/" + s.id());
                out.add(node);
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(json.writeValueAsString(out));
        };
    }

    public HttpHandler download() {
        return exchange -> {
            String stream = stream(exchange);
            String id = pathParam(exchange, "id");
            if (id != null && id.endsWith(".mp4")) {
                id = id.substring(0, id.length() - 4);
            }
            if (stream == null) {
                return;
            }
            if (id != null && ID.matcher(id).matches() && index.get(stream, id).isEmpty()) {
                if (exchange.isInIoThread()) { // perhaps another node's, new since the last read of the shared folder
                    exchange.dispatch(this.download());
                    return;
                }
                index.refreshOthers(stream);
            }
            if (id == null || !ID.matcher(id).matches() || index.get(stream, id).isEmpty()) {
                error(exchange, StatusCodes.NOT_FOUND, "no recording '" + id + "' of stream " + stream);
                return;
            }
            String relative = stream + "/" + id + ".mp4";
            ETag tag = etag(index.directory().resolve(relative));
            if (tag != null) { // the resource handler sends it with 200 and 206, not with 304 (RFC 9110 15.4.5)
                exchange.getResponseHeaders().put(Headers.ETAG, tag.toString());
            }
            applyIfRange(exchange, tag);
            exchange.setRelativePath("/" + relative);
            files.handleRequest(exchange);
        };
    }

    public HttpHandler playlist() {
        return exchange -> {
            String stream = stream(exchange);
            long[] range = timeRange(exchange);
            if (stream == null || range == null) {
                return;
            }
            if (exchange.isInIoThread()) { // reads the shared folder and file headers: not on the I/O thread
                exchange.dispatch(this.playlist());
                return;
            }
            index.refreshOthers(stream);
            List<SegmentInfo> segments = index.list(stream, range[0], range[1]).stream()
                    .filter(SegmentInfo::finished).toList();
            if (segments.isEmpty()) {
                error(exchange, StatusCodes.NOT_FOUND, "no finished recordings of stream " + stream + " in that range");
                return;
            }
            String token = param(exchange, "token");
            String query = token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
            String body = HlsPlaylist.render(segments, index::mediaFile, s -> "recordings/" + s.id() + ".mp4" + query);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/vnd.apple.mpegurl");
            exchange.getResponseSender().send(body, StandardCharsets.UTF_8);
        };
    }

    /**
     * A strong validator of a segment file: its size and modification time. A closed segment
     * never changes; one being recorded grows, and a repaired one is cut shorter, so either
     * change gives a new tag (and an {@code If-Range} request with the old one the whole file).
     */
    static ETag etag(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            long modifiedMicros = attributes.lastModifiedTime().to(TimeUnit.MICROSECONDS);
            return new ETag(false, Long.toHexString(attributes.size()) + "-" + Long.toHexString(modifiedMicros));
        } catch (IOException e) {
            return null; // gone meanwhile: the resource handler answers 404
        }
    }

    /**
     * {@code If-Range} with an entity-tag, decided here: Undertow compares the quoted header
     * value with the bare tag, so it never matched and every such range became the whole file.
     * A matching strong tag keeps the Range; anything else (weak, stale) drops it (RFC 9110
     * 13.1.5). A date is left to Undertow.
     */
    private static void applyIfRange(HttpServerExchange exchange, ETag tag) {
        String ifRange = exchange.getRequestHeaders().getFirst(Headers.IF_RANGE);
        if (ifRange == null || !(ifRange.startsWith("\"") || ifRange.startsWith("W/"))) {
            return;
        }
        exchange.getRequestHeaders().remove(Headers.IF_RANGE);
        if (tag == null || !ifRange.equals(tag.toString())) {
            exchange.getRequestHeaders().remove(Headers.RANGE);
        }
    }

    private String stream(HttpServerExchange exchange) {
        String stream = pathParam(exchange, "stream");
        if (stream == null || !StreamName.isValid(stream)) {
            error(exchange, StatusCodes.BAD_REQUEST, "invalid stream name");
            return null;
        }
        return stream;
    }

    /** [from, to] in epoch microseconds, or null after answering 400. */
    private long[] timeRange(HttpServerExchange exchange) {
        try {
            return new long[] {time(param(exchange, "from"), Long.MIN_VALUE), time(param(exchange, "to"), Long.MAX_VALUE)};
        } catch (IllegalArgumentException e) {
            error(exchange, StatusCodes.BAD_REQUEST, "from/to must be ISO-8601 instants or epoch milliseconds: " + e.getMessage());
            return null;
        }
    }

    static long time(String value, long missing) {
        if (value == null || value.isBlank()) {
            return missing;
        }
        if (value.chars().allMatch(Character::isDigit)) {
            return Math.multiplyExact(Long.parseLong(value), 1000L);
        }
        try {
            Instant instant = Instant.parse(value);
            return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "'", e);
        }
    }

    /**
     * From the route, never from the query string: the routing table also copies path
     * parameters into the query parameters, after any the request sent under the same name.
     */
    private static String pathParam(HttpServerExchange exchange, String name) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        return match == null ? null : match.getParameters().get(name);
    }

    private static String param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null ? null : values.peekFirst();
    }

    private static void error(HttpServerExchange exchange, int status, String message) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(message + "\n");
    }

}
