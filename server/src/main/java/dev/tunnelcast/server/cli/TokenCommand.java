package dev.tunnelcast.server.cli;

import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.auth.TokenAuthority;
import dev.tunnelcast.wire.RoomName;
import dev.tunnelcast.wire.StreamName;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code token}: prints an access token for one action on one stream (or all), or for taking part in a room. */
@Command(name = "token", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print an access token, to pass as ?token=... on /ws/publish/{stream} or /ws/play/{stream}.",
                "Example: token --secret-env TUNNELCAST_TOKEN_SECRET --action play --stream cam1 --ttl 1h",
                "A room (join) token publishes ROOM.PARTICIPANT and plays the room's streams:",
                "  token --secret-env TUNNELCAST_TOKEN_SECRET --room standup --participant alice",
                "Without --participant: for any participant of the room."})
public final class TokenCommand implements Callable<Integer> {

    static final class Secret {
        @Option(names = "--secret", paramLabel = "SECRET", required = true,
                description = "The relay's token secret (visible in the process list; prefer --secret-env).")
        String value;

        @Option(names = "--secret-env", paramLabel = "VARIABLE", required = true,
                description = "Read the secret from this environment variable, e.g. TUNNELCAST_TOKEN_SECRET.")
        String variable;
    }

    /** A token for one action on a stream. */
    static final class StreamTarget {
        @Option(names = "--action", required = true, paramLabel = "publish|play", description = "What the token allows.")
        String action;

        @Option(names = "--stream", required = true, paramLabel = "NAME|*", description = "A stream name, or * for every stream.")
        String stream;
    }

    /** A join token for a room. */
    static final class RoomTarget {
        @Option(names = "--room", required = true, paramLabel = "ROOM",
                description = "A room: publish ROOM.PARTICIPANT, play every stream of the room.")
        String room;

        @Option(names = "--participant", paramLabel = "ID",
                description = "The one participant the token publishes as (default: any participant of the room).")
        String participant;
    }

    /** Either a stream token or a room token. */
    static final class Target {
        @ArgGroup(exclusive = false, heading = "Stream token:%n")
        StreamTarget stream;

        @ArgGroup(exclusive = false, heading = "Room token:%n")
        RoomTarget room;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Secret secret;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = Units.Time.class,
            description = "How long the token stays valid (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Override
    public Integer call() {
        String key = secret.value != null ? secret.value : System.getenv(secret.variable);
        if (key == null || key.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "environment variable " + secret.variable + " is not set");
        }
        TokenAuthority tokens = new TokenAuthority(key);
        Instant expires = Instant.now().plus(ttl);
        String token = target.room != null ? roomToken(tokens, target.room, expires) : streamToken(tokens, target.stream, expires);
        PrintWriter out = spec.commandLine().getOut();
        out.println(token);
        out.flush();
        return 0;
    }

    private String streamToken(TokenAuthority tokens, StreamTarget stream, Instant expires) {
        Action action;
        try {
            action = Action.fromWireName(stream.action);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (action == Action.JOIN) {
            throw new ParameterException(spec.commandLine(), "a join token is made with --room ROOM [--participant ID]");
        }
        if (!stream.stream.equals(TokenAuthority.ANY_STREAM) && !StreamName.isValid(stream.stream)) {
            throw new ParameterException(spec.commandLine(), "'" + stream.stream + "' is not a valid stream name: " + StreamName.RULE);
        }
        return tokens.mint(action, stream.stream, expires);
    }

    private String roomToken(TokenAuthority tokens, RoomTarget room, Instant expires) {
        if (!RoomName.isValidRoom(room.room)) {
            throw new ParameterException(spec.commandLine(), "'" + room.room + "' is not a valid room name: " + RoomName.ROOM_RULE);
        }
        if (room.participant != null && !RoomName.isValidParticipant(room.participant)) {
            throw new ParameterException(spec.commandLine(),
                    "'" + room.participant + "' is not a valid participant id: " + RoomName.PARTICIPANT_RULE);
        }
        return tokens.mintJoin(room.room, room.participant, expires);
    }
}
