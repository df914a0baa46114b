package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.wire.CloseCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The close-code table of docs/protocol.md says exactly what close_codes.proto defines. */
class CloseCodeTableTest {

    private static final Path PROTOCOL_MD = Path.of("..", "docs", "protocol.md");

    @Test
    void docsTableMatchesTheDefinition() throws IOException {
        List<String> defined = CloseCodes.all().stream()
                .map(c -> row(Integer.toString(c.getNumber()), CloseCodes.shortName(c), CloseCodes.reason(c),
                        CloseCodes.isFatal(c) ? "yes" : "no"))
                .toList();
        assertThat(documentedRows()).containsExactlyElementsOf(defined);
    }

    @Test
    void codesAsReceivedAreFatalOnlyWhenDefinedSo() {
        assertThat(CloseCodes.isFatal(4401)).isTrue();
        assertThat(CloseCodes.isFatal(4429)).isFalse();
        assertThat(CloseCodes.isFatal(1006)).as("not a relay code: the connection dropped").isFalse();
        assertThat(CloseCodes.isFatal(0)).isFalse();
    }

    private static String row(String code, String name, String reason, String fatal) {
        return code + " | " + name + " | " + reason + " | fatal: " + fatal;
    }

    /** The rows of the table under "## Close codes": code | `NAME` | reason text | fatal | when. */
    private static List<String> documentedRows() throws IOException {
        List<String> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(PROTOCOL_MD)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Close codes");
                continue;
            }
            if (!inSection || !line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            String code = cells[1].trim();
            if (!code.matches("\\d+")) {
                continue; // the header and its rule
            }
            assertThat(cells).as("columns of %s", line).hasSizeGreaterThanOrEqualTo(6);
            rows.add(row(code, cells[2].trim().replace("`", ""), cells[3].trim(), cells[4].trim()));
        }
        return rows;
    }
}
