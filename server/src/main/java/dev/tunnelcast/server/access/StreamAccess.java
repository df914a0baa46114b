package dev.tunnelcast.server.access;

import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.auth.RequestToken;
import dev.tunnelcast.server.auth.TokenAuthority;
import dev.tunnelcast.server.auth.TokenRefusals;
import dev.tunnelcast.server.auth.TokenVerdict;
import dev.tunnelcast.server.clock.RelayClock;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.StatusCodes;
import java.time.Instant;
import java.util.Deque;

/**
 * Reading anything about a stream over HTTP takes a token that grants {@code play} on it,
 * from {@code Authorization: Bearer} or {@code ?token=} (players and HLS clients cannot set
 * headers on every request). Without a token secret every request passes.
 */
final class StreamAccess {

    /** The verdict on a stream list's token, which says which streams the list may show. */
    static final AttachmentKey<TokenVerdict> LIST_VERDICT = AttachmentKey.create(TokenVerdict.class);

    private final TokenAuthority tokens;
    private final RelayClock clock;
    private final AccessRefusals refusals;

    StreamAccess(TokenAuthority tokens, RelayClock clock, AccessRefusals refusals) {
        this.tokens = tokens;
        this.clock = clock;
        this.refusals = refusals;
    }

    /** For {@code route}, a template with a {@code {stream}} path parameter. */
    HttpHandler stream(String route, HttpHandler next) {
        expect(route, true);
        return exchange -> {
            PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
            String stream = match == null ? null : match.getParameters().get("stream");
            if (pass(exchange, route, tokens.check(token(exchange), Action.PLAY, stream, now()))) {
                next.handleRequest(exchange);
            }
        };
    }

    /** For {@code route}, a list of streams: any valid play token; the list shows the streams it names. */
    HttpHandler list(String route, HttpHandler next) {
        expect(route, false);
        return exchange -> {
            TokenVerdict verdict = tokens.checkAction(token(exchange), Action.PLAY, now());
            if (pass(exchange, route, verdict)) {
                exchange.putAttachment(LIST_VERDICT, verdict);
                next.handleRequest(exchange);
            }
        };
    }

    /** The refusals a play check on {@code route} can give, at zero (none without a token secret). */
    private void expect(String route, boolean oneStream) {
        if (tokens.enabled()) {
            refusals.expect(route, StatusCodes.UNAUTHORIZED, TokenRefusals.UNAUTHORIZED);
            refusals.expect(route, StatusCodes.FORBIDDEN, TokenRefusals.forbidden(Action.PLAY, oneStream));
        }
    }

    private boolean pass(HttpServerExchange exchange, String route, TokenVerdict verdict) {
        if (verdict.kind() == TokenVerdict.Kind.UNAUTHORIZED) {
            refusals.unauthorized(exchange, route, verdict.detail());
        } else if (verdict.kind() == TokenVerdict.Kind.FORBIDDEN) {
            refusals.forbidden(exchange, route, verdict.detail());
        }
        return verdict.isAccepted();
    }

    private Instant now() {
        return Instant.ofEpochSecond(0, clock.nowMicros() * 1000);
    }

    /** The request's token: the {@code Authorization: Bearer} header, else {@code ?token=}. */
    static String token(HttpServerExchange exchange) {
        Deque<String> query = exchange.getQueryParameters().get("token");
        return RequestToken.of(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION), query == null ? null : query.peekFirst());
    }

    static String bearer(HttpServerExchange exchange) {
        return RequestToken.bearer(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
    }
}
