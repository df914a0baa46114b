package dev.tunnelcast.server.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * Every reason {@link TokenAuthority} gives when it refuses a token ({@link TokenVerdict#detail}):
 * the label values of the refusal counters, registered at zero so that a scrape shows them
 * before the first refusal. {@code TokenRefusalsTest} holds this list to what the authority says.
 */
public final class TokenRefusals {

    /** Why a token is missing or unusable (401, close 4401). */
    public static final List<String> UNAUTHORIZED = List.of(
            "token missing", "token malformed", "token signature invalid", "token expired");
    /** A valid token for another stream (403, close 4403). */
    public static final String OTHER_STREAM = "token is for another stream";

    private TokenRefusals() {}

    /** A valid token for {@code other} where another action is needed (403, close 4403). */
    public static String otherAction(Action other) {
        return "token is for action " + other.wireName();
    }

    /**
     * The 403 reasons of a check for {@code action} (publish or play): on one stream, or
     * ({@code oneStream} false) on whichever the token names. A join token is never refused for
     * its action (it grants both on its room), only for a stream outside its room.
     */
    public static List<String> forbidden(Action action, boolean oneStream) {
        List<String> reasons = new ArrayList<>();
        for (Action other : Action.values()) {
            if (other != action && other != Action.JOIN) {
                reasons.add(otherAction(other));
            }
        }
        if (oneStream) {
            reasons.add(OTHER_STREAM);
        }
        return reasons;
    }
}
