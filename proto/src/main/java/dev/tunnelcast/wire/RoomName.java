package dev.tunnelcast.wire;

import dev.tunnelcast.proto.v1.NameKind;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rooms and their participants (names.proto): participant {@code P} of room {@code R}
 * publishes the stream {@code R.P}. Neither name has a dot, so a stream name with exactly one
 * dot whose halves are a valid room and a valid participant is in that room; any other stream
 * is in none. Such a stream is also a valid {@link StreamName} and is treated like any other.
 *
 * @param room        the room's name ({@code NAME_KIND_ROOM})
 * @param participant the participant's id in it ({@code NAME_KIND_PARTICIPANT})
 */
public record RoomName(String room, String participant) {

    /** Room names as a regular expression. */
    public static final String ROOM_PATTERN = NameRules.pattern(NameKind.NAME_KIND_ROOM);
    /** Participant ids as a regular expression. */
    public static final String PARTICIPANT_PATTERN = NameRules.pattern(NameKind.NAME_KIND_PARTICIPANT);
    /** The room rule in words, for error messages. */
    public static final String ROOM_RULE = "room names match " + ROOM_PATTERN
            + " (" + NameRules.rule(NameKind.NAME_KIND_ROOM) + ")";
    /** The participant rule in words, for error messages. */
    public static final String PARTICIPANT_RULE = "participant ids match " + PARTICIPANT_PATTERN
            + " (" + NameRules.rule(NameKind.NAME_KIND_PARTICIPANT) + ")";

    private static final Pattern ROOM = NameRules.compile(NameKind.NAME_KIND_ROOM);
    private static final Pattern PARTICIPANT = NameRules.compile(NameKind.NAME_KIND_PARTICIPANT);
    private static final char SEPARATOR = '.';

    /** @throws IllegalArgumentException naming the rule, when either name is invalid */
    public RoomName {
        requireRoom(room);
        requireParticipant(participant);
    }

    /** The room and participant of {@code stream}, or empty when the stream is in no room. */
    public static Optional<RoomName> parse(String stream) {
        if (stream == null) {
            return Optional.empty();
        }
        int dot = stream.indexOf(SEPARATOR);
        if (dot < 0 || dot != stream.lastIndexOf(SEPARATOR)) {
            return Optional.empty();
        }
        String room = stream.substring(0, dot);
        String participant = stream.substring(dot + 1);
        return isValidRoom(room) && isValidParticipant(participant)
                ? Optional.of(new RoomName(room, participant)) : Optional.empty();
    }

    /** The stream this participant publishes: {@code room.participant}. */
    public String stream() {
        return room + SEPARATOR + participant;
    }

    public static boolean isValidRoom(String name) {
        return name != null && ROOM.matcher(name).matches();
    }

    public static boolean isValidParticipant(String name) {
        return name != null && PARTICIPANT.matcher(name).matches();
    }

    /** @throws IllegalArgumentException naming the rule, when {@code name} is not a room name */
    public static String requireRoom(String name) {
        if (!isValidRoom(name)) {
            throw new IllegalArgumentException("invalid room name '" + name + "': " + ROOM_RULE);
        }
        return name;
    }

    /** @throws IllegalArgumentException naming the rule, when {@code name} is not a participant id */
    public static String requireParticipant(String name) {
        if (!isValidParticipant(name)) {
            throw new IllegalArgumentException("invalid participant id '" + name + "': " + PARTICIPANT_RULE);
        }
        return name;
    }
}
