package dev.tunnelcast.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamNameTest {

    @Test
    void acceptsTheDocumentedAlphabet() {
        assertThat(StreamName.isValid("cam1")).isTrue();
        assertThat(StreamName.isValid("A.b_c-9")).isTrue();
        assertThat(StreamName.isValid("x".repeat(64))).isTrue();
    }

    @Test
    void refusesEverythingElse() {
        for (String name : new String[] {null, "", "x".repeat(65), "a;b", "a/b", "..", ".a", "-a", "_a",
                "a%2Fb", "%61", "a b", "a?b", "ü", "a\u0000"}) {
            assertThat(StreamName.isValid(name)).as(String.valueOf(name)).isFalse();
        }
    }

    @Test
    void requireNamesTheRule() {
        assertThat(StreamName.require("cam1")).isEqualTo("cam1");
        assertThatThrownBy(() -> StreamName.require("a;b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a;b'").hasMessageContaining(StreamName.PATTERN);
    }
}
