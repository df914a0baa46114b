package dev.tunnelcast.agent;

import dev.tunnelcast.proto.v1.NameKind;
import dev.tunnelcast.proto.v1.NamesProto;
import java.util.regex.Pattern;

/**
 * The agent as participant {@code participant} of room {@code room}: it publishes the stream
 * {@code room.participant} (docs/protocol.md, "Names"). Both parts are checked against the
 * patterns of names.proto, read from the generated code, so nothing here re-types a rule.
 * The wire module is getting a room-name helper of its own (branch h2-rooms-relay); once it is
 * on main, {@link #of} delegates to it and this check goes.
 */
public record RoomParticipant(String room, String participant) {

    private static final Pattern ROOM = pattern(NameKind.NAME_KIND_ROOM);
    private static final Pattern PARTICIPANT = pattern(NameKind.NAME_KIND_PARTICIPANT);

    /**
     * Returns the participant when both names are valid.
     *
     * @throws IllegalArgumentException naming the rule, when one is not
     */
    public static RoomParticipant of(String room, String participant) {
        require("room name", room, ROOM, NameKind.NAME_KIND_ROOM);
        require("participant id", participant, PARTICIPANT, NameKind.NAME_KIND_PARTICIPANT);
        return new RoomParticipant(room, participant);
    }

    /** The stream this participant publishes. */
    public String stream() {
        return room + "." + participant;
    }

    private static void require(String what, String name, Pattern pattern, NameKind kind) {
        if (name == null || !pattern.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + name + "': " + what + "s match "
                    + pattern.pattern() + " (" + kind.getValueDescriptor().getOptions().getExtension(NamesProto.nameRule) + ")");
        }
    }

    private static Pattern pattern(NameKind kind) {
        return Pattern.compile(kind.getValueDescriptor().getOptions().getExtension(NamesProto.namePattern));
    }
}
