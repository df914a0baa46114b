package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The suite is a gate only if a test that runs is judged once: no reruns of failing tests, no
 * skips (JUnit assumptions and disabling annotations, node:test's skip and todo). A test that
 * needs a tool fails and says how to install it; a figure that depends on the machine's load
 * belongs to a benchmark ({@code bench/run latency --check}).
 */
class NoSkipsOrRetriesTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern CRUTCH = Pattern.compile(
            "rerunFailingTestsCount|skipAfterFailureCount|org\\.junit\\.jupiter\\.api\\.Assumptions|\\bassume(True|False|That)\\b"
                    + "|assumingThat|@Disabled|@EnabledIf|@DisabledIf|org\\.junit\\.Assume\\b|\\b(it|test|describe)\\.(skip|todo)\\b"
                    + "|[{,]\\s*(skip|todo)\\s*:");

    @Test
    void noTestIsRetriedOrSkipped() throws IOException {
        List<String> found;
        try (Stream<Path> files = Files.walk(REPO)) {
            found = files.filter(NoSkipsOrRetriesTest::isTestSourceOrBuild).flatMap(NoSkipsOrRetriesTest::crutches).toList();
        }
        assertThat(found).as("reruns or skips in the test sources and builds").isEmpty();
    }

    private static boolean isTestSourceOrBuild(Path file) {
        String path = REPO.relativize(file).toString().replace('\\', '/');
        if (path.contains("node_modules/") || path.contains("/target/") || path.startsWith(".") || path.endsWith("/" + selfName())) {
            return false;
        }
        return path.endsWith("pom.xml") || path.endsWith("package.json")
                || (path.contains("/src/test/") && path.endsWith(".java"))
                || ((path.startsWith("web-player/test/") || path.startsWith("web-player/e2e/")) && path.matches(".*\\.m?js"));
    }

    private static String selfName() {
        return NoSkipsOrRetriesTest.class.getSimpleName() + ".java";
    }

    private static Stream<String> crutches(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> CRUTCH.matcher(lines.get(i)).find())
                    .mapToObj(i -> REPO.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
