package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.wire.RoomName;
import dev.tunnelcast.wire.StreamName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The names table of docs/protocol.md says exactly what names.proto defines. */
class NamesTableTest {

    private static final Path PROTOCOL_MD = Path.of("..", "docs", "protocol.md");

    @Test
    void docsTableMatchesTheDefinition() throws IOException {
        assertThat(documentedRows()).containsExactly(
                "stream | " + StreamName.PATTERN + " | " + rule(StreamName.RULE),
                "room | " + RoomName.ROOM_PATTERN + " | " + rule(RoomName.ROOM_RULE),
                "participant | " + RoomName.PARTICIPANT_PATTERN + " | " + rule(RoomName.PARTICIPANT_RULE));
    }

    /** The words of names.proto's name_rule, which each RULE quotes in parentheses after the pattern. */
    private static String rule(String fullRule) {
        return fullRule.substring(fullRule.indexOf(" (") + 2, fullRule.length() - 1);
    }

    /** The rows of the table under "## Names": kind | `pattern` | rule. */
    private static List<String> documentedRows() throws IOException {
        List<String> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(PROTOCOL_MD)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Names");
                continue;
            }
            if (!inSection || !line.startsWith("|") || line.startsWith("| kind") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            rows.add(cells[1].trim() + " | " + cells[2].trim().replace("`", "") + " | " + cells[3].trim());
        }
        return rows;
    }
}
