package dev.tunnelcast.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.proto.v1.NameKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoomNameTest {

    @Test
    void aStreamWithOneDotBetweenAValidRoomAndParticipantIsInThatRoom() {
        assertThat(RoomName.parse("standup.alice")).contains(new RoomName("standup", "alice"));
        assertThat(RoomName.parse("R-1.p_2")).contains(new RoomName("R-1", "p_2"));
        assertThat(new RoomName("standup", "alice").stream()).isEqualTo("standup.alice");
    }

    @Test
    void anyOtherStreamIsInNoRoom() {
        for (String stream : new String[] {null, "", "cam1", "a.b.c", ".a", "a.", "a..b", "_a.b", "a._b",
                "r".repeat(33) + ".p", "r." + "p".repeat(32), "a.b;c"}) {
            assertThat(RoomName.parse(stream)).as(String.valueOf(stream)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void theLongestRoomAndParticipantStillMakeAValidStreamName() {
        String room = "r".repeat(32);
        String participant = "p".repeat(31);
        assertThat(RoomName.isValidRoom(room)).isTrue();
        assertThat(RoomName.isValidParticipant(participant)).isTrue();
        assertThat(StreamName.isValid(new RoomName(room, participant).stream())).isTrue();
        assertThat(RoomName.parse(room + "." + participant)).isPresent();
    }

    @Test
    void thePatternsAndRulesAreNamesProtos() {
        assertThat(RoomName.ROOM_PATTERN).isEqualTo(NameRules.pattern(NameKind.NAME_KIND_ROOM)).isNotEmpty();
        assertThat(RoomName.PARTICIPANT_PATTERN).isEqualTo(NameRules.pattern(NameKind.NAME_KIND_PARTICIPANT)).isNotEmpty();
        assertThat(RoomName.ROOM_RULE).contains(NameRules.rule(NameKind.NAME_KIND_ROOM));
        assertThat(StreamName.PATTERN).isEqualTo(NameRules.pattern(NameKind.NAME_KIND_STREAM)).isNotEmpty();
        assertThat(StreamName.RULE).contains(NameRules.rule(NameKind.NAME_KIND_STREAM));
    }

    @Test
    void invalidNamesAreRefusedWithTheRule() {
        assertThatThrownBy(() -> new RoomName("a.b", "c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a.b'").hasMessageContaining(RoomName.ROOM_PATTERN);
        assertThatThrownBy(() -> RoomName.requireParticipant("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RoomName.PARTICIPANT_PATTERN);
    }
}
