package dev.tunnelcast.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamSubjectsTest {

    @Test
    void aStreamNameBecomesOneTokenThatIsAlsoAValidKey() {
        assertThat(StreamSubjects.escape("hall.stage")).isEqualTo("hall=2Estage");
        assertThat(StreamSubjects.escape("cam-1_a")).isEqualTo("cam-1_a");
        assertThat(StreamSubjects.escape("a*b>c d=é")).isEqualTo("a=2Ab=3Ec=20d=3D=C3=A9");
        assertThat(StreamSubjects.media("room.alice")).isEqualTo("tunnelcast.media.room=2Ealice");
    }

    @Test
    void escapingIsUndone() {
        for (String name : new String[] {"hall.stage", "cam1", "a*b>c d=é", "=2E", "x="}) {
            assertThat(StreamSubjects.unescape(StreamSubjects.escape(name))).isEqualTo(name);
        }
    }
}
