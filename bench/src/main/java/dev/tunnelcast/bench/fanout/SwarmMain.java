package dev.tunnelcast.bench.fanout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The players of a fan-out run in a process of their own, so that their CPU is measured apart
 * from the relay's and the publisher's: {@code SwarmMain HOST PORT STREAM PLAYERS STALLED
 * AWAIT_WELCOME}. Prints {@link SwarmLines#CONNECTED} once every player is ready (or
 * {@link SwarmLines#NOT_CONNECTED} after a minute, and exits), then answers the harness's
 * commands on stdin ({@link SwarmLines}) until "quit" or the end of stdin. Diagnostics go to
 * stderr; stdout carries only the replies.
 */
public final class SwarmMain {
    private static final long CONNECT_SECONDS = 60;

    private SwarmMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: SwarmMain HOST PORT STREAM PLAYERS STALLED AWAIT_WELCOME");
            System.exit(2);
        }
        PrintStream replies = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        InetSocketAddress relay = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        try (SubscriberSwarm swarm = new SubscriberSwarm(relay, args[2], Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Boolean.parseBoolean(args[5]))) {
            if (!swarm.awaitConnected(CONNECT_SECONDS, TimeUnit.SECONDS)) {
                replies.println(SwarmLines.NOT_CONNECTED);
                return;
            }
            replies.println(SwarmLines.CONNECTED);
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null && !line.equals(SwarmLines.QUIT)) {
                replies.println(answer(swarm, line));
            }
        }
    }

    private static String answer(SubscriberSwarm swarm, String command) {
        String[] words = command.split(" ");
        switch (words[0]) {
            case SwarmLines.START -> {
                swarm.startMeasuring(Long.parseLong(words[1]), Long.parseLong(words[2]));
                return SwarmLines.OK;
            }
            case SwarmLines.STOP -> {
                swarm.stopMeasuring();
                return SwarmLines.OK;
            }
            case SwarmLines.SNAPSHOT -> {
                return SwarmLines.encode(swarm.snapshot());
            }
            default -> throw new IllegalArgumentException("unknown command: " + command);
        }
    }
}
