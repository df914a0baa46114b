package dev.tunnelcast.server.auth;

import dev.tunnelcast.wire.RoomName;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and checks access tokens:
 * {@code base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))}, with the
 * payload {@code v1:{action}:{stream}:{expiresEpochSeconds}} and {@code stream} either a
 * stream name or {@code *}. Base64url without padding. With no secret every request is accepted.
 *
 * <p>A {@code join} token's {@code stream} is {@code room.participant} or {@code room.*}; it
 * grants {@code publish} on the stream it names (any participant's of the room for
 * {@code room.*}) and {@code play} on every stream of the room ({@link RoomName}).
 */
public final class TokenAuthority {

    public static final String ANY_STREAM = "*";
    /** In a {@code join} token, {@code room.*}: any participant of the room. */
    public static final String ANY_PARTICIPANT = "*";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    /** @param secret the shared secret; null or empty disables tokens */
    public TokenAuthority(String secret) {
        this.key = secret == null || secret.isEmpty()
                ? null
                : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public boolean enabled() {
        return key != null;
    }

    /** A token for {@code action} on {@code stream} (or {@link #ANY_STREAM}) valid until {@code expires}. */
    public String mint(Action action, String stream, Instant expires) {
        if (key == null) {
            throw new IllegalStateException("no token secret configured");
        }
        String payload = "v1:" + action.wireName() + ":" + stream + ":" + expires.getEpochSecond();
        String encodedPayload = ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return encodedPayload + "." + ENCODER.encodeToString(sign(encodedPayload));
    }

    /**
     * A {@code join} token for {@code participant} of {@code room}, or for any participant of it
     * when {@code participant} is null.
     *
     * @throws IllegalArgumentException when a name breaks its rule (names.proto)
     */
    public String mintJoin(String room, String participant, Instant expires) {
        String subject = participant == null
                ? RoomName.requireRoom(room) + "." + ANY_PARTICIPANT
                : new RoomName(room, participant).stream();
        return mint(Action.JOIN, subject, expires);
    }

    /** Checks {@code token} (may be null) for {@code action} on {@code stream} at {@code now}. */
    public TokenVerdict check(String token, Action action, String stream, Instant now) {
        TokenVerdict verdict = checkAction(token, action, now);
        if (verdict.isAccepted() && !verdict.allows(stream)) {
            return TokenVerdict.forbidden("token is for another stream");
        }
        return verdict;
    }

    /**
     * Checks {@code token} for {@code action} on whichever streams it names; an accepted
     * verdict says which ({@link TokenVerdict#allows}). Lists use it to show only those.
     */
    public TokenVerdict checkAction(String token, Action action, Instant now) {
        if (key == null) {
            return TokenVerdict.ok(TokenScope.ALL);
        }
        if (token == null || token.isEmpty()) {
            return TokenVerdict.unauthorized("token missing");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return TokenVerdict.unauthorized("token malformed");
        }
        String encodedPayload = token.substring(0, dot);
        byte[] signature;
        String payload;
        try {
            signature = DECODER.decode(token.substring(dot + 1));
            payload = new String(DECODER.decode(encodedPayload), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return TokenVerdict.unauthorized("token malformed");
        }
        if (!MessageDigest.isEqual(signature, sign(encodedPayload))) {
            return TokenVerdict.unauthorized("token signature invalid");
        }
        String[] parts = payload.split(":", -1);
        if (parts.length != 4 || !parts[0].equals("v1")) {
            return TokenVerdict.unauthorized("token malformed");
        }
        long expiresEpochSeconds;
        try {
            expiresEpochSeconds = Long.parseLong(parts[3]);
        } catch (NumberFormatException e) {
            return TokenVerdict.unauthorized("token malformed");
        }
        if (now.getEpochSecond() >= expiresEpochSeconds) {
            return TokenVerdict.unauthorized("token expired");
        }
        if (parts[1].equals(Action.JOIN.wireName())) {
            return joinScope(parts[2], action).map(TokenVerdict::ok)
                    .orElseGet(() -> TokenVerdict.unauthorized("token malformed"));
        }
        if (!parts[1].equals(action.wireName())) {
            return TokenVerdict.forbidden("token is for action " + parts[1]);
        }
        return TokenVerdict.ok(parts[2].equals(ANY_STREAM) ? TokenScope.ALL : new TokenScope.OneStream(parts[2]));
    }

    /**
     * What a join token for {@code subject} ({@code room.participant} or {@code room.*}) grants
     * for {@code action}: play on the whole room, publish (and join) on the stream(s) it names.
     */
    private static Optional<TokenScope> joinScope(String subject, Action action) {
        int dot = subject.indexOf('.');
        String room = dot < 0 ? "" : subject.substring(0, dot);
        boolean anyParticipant = subject.substring(dot + 1).equals(ANY_PARTICIPANT);
        if (anyParticipant ? !RoomName.isValidRoom(room) : RoomName.parse(subject).isEmpty()) {
            return Optional.empty();
        }
        if (action == Action.PLAY || anyParticipant) {
            return Optional.of(new TokenScope.RoomStreams(room));
        }
        return Optional.of(new TokenScope.OneStream(subject));
    }

    private byte[] sign(String encodedPayload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(encodedPayload.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
