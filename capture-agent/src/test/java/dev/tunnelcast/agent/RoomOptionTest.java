package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.proto.v1.NameKind;
import dev.tunnelcast.proto.v1.NamesProto;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --room R --participant P [--display-name N]}: the agent publishes {@code R.P}, both
 * names checked against names.proto before anything starts; {@code --stream} and
 * {@code --room} exclude each other; each has an environment variable.
 */
class RoomOptionTest {

    private static PublisherConfig parse(String... args) {
        AgentMain main = new AgentMain();
        new CommandLine(main).parseArgs(args);
        return main.buildConfig().publisher();
    }

    @Test
    void aParticipantPublishesTheStreamRoomDotParticipantWithItsDisplayName() {
        PublisherConfig p = parse("--relay", "ws://127.0.0.1:8080", "--room", "weekly", "--participant", "room-4b",
                "--display-name", "Meeting room 4B", "--token", "v1:join:weekly.room-4b:9");
        assertThat(p.stream()).isEqualTo("weekly.room-4b");
        assertThat(p.displayName()).isEqualTo("Meeting room 4B");
        assertThat(p.publishUri()).hasToString("ws://127.0.0.1:8080/ws/publish/weekly.room-4b?token=v1%3Ajoin%3Aweekly.room-4b%3A9");
    }

    @Test
    void withoutARoomTheStreamIsCam1OrStreamAndThereIsNoDisplayName() {
        assertThat(parse().stream()).isEqualTo("cam1");
        assertThat(parse().displayName()).isEmpty();
        assertThat(parse("--stream", "door").stream()).isEqualTo("door");
        assertThat(parse("--room", "weekly", "--participant", "p1").displayName())
                .as("no display name: the others see the participant id").isEmpty();
    }

    @Test
    void streamAndRoomAreMutuallyExclusive() {
        assertThatThrownBy(() -> parse("--stream", "cam1", "--room", "weekly", "--participant", "p1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mutually exclusive");
    }

    @Test
    void roomAndParticipantComeTogetherAndTheDisplayNameNeedsARoom() {
        assertThatThrownBy(() -> parse("--room", "weekly")).hasMessageContaining("--room needs --participant");
        assertThatThrownBy(() -> parse("--participant", "p1")).hasMessageContaining("--participant needs --room");
        assertThatThrownBy(() -> parse("--display-name", "Hall")).hasMessageContaining("--display-name needs --room");
    }

    @Test
    void namesFollowNamesProtoAndTheErrorGivesTheRule() {
        String roomPattern = NameKind.NAME_KIND_ROOM.getValueDescriptor().getOptions().getExtension(NamesProto.namePattern);
        assertThatThrownBy(() -> parse("--room", "a.b", "--participant", "p1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid room name 'a.b'").hasMessageContaining(roomPattern);
        assertThatThrownBy(() -> parse("--room", "weekly", "--participant", "x".repeat(32)))
                .hasMessageContaining("invalid participant id");
        assertThatThrownBy(() -> parse("--room", "weekly", "--participant", "-p"))
                .hasMessageContaining("invalid participant id '-p'");
        assertThat(parse("--room", "r".repeat(32), "--participant", "p".repeat(31)).stream())
                .as("the longest room and participant still make a valid stream name").hasSize(64);
    }

    /** The relay's rule (4422 otherwise, fatal): characters are code points, as it counts them. */
    @Test
    void aDisplayNameIsAtMost64CharactersWithoutControlCharactersOrLineBreaks() {
        String cameras = "\uD83C\uDFA5".repeat(64); // 64 characters, 128 UTF-16 units
        assertThat(parse("--room", "weekly", "--participant", "p1", "--display-name", cameras).displayName())
                .isEqualTo(cameras);
        assertThatThrownBy(() -> parse("--room", "weekly", "--participant", "p1", "--display-name", "x".repeat(65)))
                .hasMessageContaining("invalid display name").hasMessageContaining("at most 64 characters");
        for (String broken : List.of("Hall\nB", "Hall\u0085B", "Hall\u2028B", "Hall\u2029B")) {
            assertThatThrownBy(() -> parse("--room", "weekly", "--participant", "p1", "--display-name", broken))
                    .hasMessageContaining("invalid display name 'Hall?B'");
        }
    }

    /** picocli reads the variables when the command line is parsed: a JVM of its own, with its own environment. */
    @Test
    void theEnvironmentVariablesAreReadAndABadOneStopsTheAgentWithExitCode1() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "--relay", "ws://127.0.0.1:9")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("TUNNELCAST_ROOM", "weekly");
        pb.environment().put("TUNNELCAST_PARTICIPANT", "room-4b");
        // the last check: its error shows that the room and participant were read and valid
        pb.environment().put("TUNNELCAST_DISPLAY_NAME", "Meeting\u0007room");
        Process process = pb.start();
        String output = readAll(process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("error: invalid display name 'Meeting?room'");
        assertThat(List.of(output.split("\n"))).noneMatch(l -> l.contains("needs --room") || l.contains("needs --participant"));
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
