package dev.tunnelcast.server;

import dev.tunnelcast.server.cli.ServeCommand;
import dev.tunnelcast.server.cli.TokenCommand;
import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The relay's command line: {@code serve} (the default) and {@code token}.
 * {@code java -jar server/target/tunnelcast-relay.jar --help}.
 */
@Command(name = "tunnelcast-relay", mixinStandardHelpOptions = true, version = "tunnelcast-relay 0.1.0",
        subcommands = {ServeCommand.class, TokenCommand.class, CommandLine.HelpCommand.class},
        description = {"Tunnelcast relay: live audio/video over one WebSocket.",
                "Without a command it runs 'serve'. Try 'serve --help' for every option."})
public final class RelayMain implements Runnable {

    private static final Set<String> TOP_LEVEL_FLAGS = Set.of("-h", "--help", "-V", "--version");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        return commandLine().execute(withDefaultCommand(args));
    }

    /** The command line, with bad configurations reported as one line instead of a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new RelayMain());
        cmd.setExecutionExceptionHandler((e, command, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                command.getErr().println("error: " + e.getMessage());
                command.getErr().flush();
                return 1;
            }
            throw e;
        });
        return cmd;
    }

    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0 || (args[0].startsWith("-") && !TOP_LEVEL_FLAGS.contains(args[0]))) {
            String[] withServe = new String[args.length + 1];
            withServe[0] = "serve";
            System.arraycopy(args, 0, withServe, 1, args.length);
            return withServe;
        }
        return Arrays.copyOf(args, args.length);
    }

    @Override
    public void run() {
        // Only reached with no subcommand, which withDefaultCommand prevents.
        new CommandLine(this).usage(System.out);
    }
}
