package dev.tunnelcast.server.cli;

import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.auth.TokenAuthority;
import dev.tunnelcast.wire.StreamName;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code token}: prints an access token for one action on one stream (or all). */
@Command(name = "token", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print an access token, to pass as ?token=... on /ws/publish/{stream} or /ws/play/{stream}.",
                "Example: token --secret-env TUNNELCAST_TOKEN_SECRET --action play --stream cam1 --ttl 1h"})
public final class TokenCommand implements Callable<Integer> {

    static final class Secret {
        @Option(names = "--secret", paramLabel = "SECRET", required = true,
                description = "The relay's token secret (visible in the process list; prefer --secret-env).")
        String value;

        @Option(names = "--secret-env", paramLabel = "VARIABLE", required = true,
                description = "Read the secret from this environment variable, e.g. TUNNELCAST_TOKEN_SECRET.")
        String variable;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Secret secret;

    @Option(names = "--action", required = true, paramLabel = "publish|play", description = "What the token allows.")
    String action;

    @Option(names = "--stream", required = true, paramLabel = "NAME|*", description = "A stream name, or * for every stream.")
    String stream;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = Units.Time.class,
            description = "How long the token stays valid (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Override
    public Integer call() {
        String key = secret.value != null ? secret.value : System.getenv(secret.variable);
        if (key == null || key.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "environment variable " + secret.variable + " is not set");
        }
        Action parsedAction;
        try {
            parsedAction = Action.fromWireName(action);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!stream.equals(TokenAuthority.ANY_STREAM) && !StreamName.isValid(stream)) {
            throw new ParameterException(spec.commandLine(), "'" + stream + "' is not a valid stream name: " + StreamName.RULE);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(new TokenAuthority(key).mint(parsedAction, stream, Instant.now().plus(ttl)));
        out.flush();
        return 0;
    }
}
