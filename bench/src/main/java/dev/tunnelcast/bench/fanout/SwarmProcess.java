package dev.tunnelcast.bench.fanout;

import dev.tunnelcast.bench.harness.ChildProcess;
import dev.tunnelcast.bench.harness.ProcStat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fan-out run's players in their own JVM ({@link SwarmMain}), driven over its stdin and
 * stdout: the same measurements as an in-process {@link SubscriberSwarm}, and the process's
 * CPU from /proc, apart from the relay's and the harness's. Ended with the harness
 * ({@link ChildProcess}); its stderr goes to a log file.
 */
final class SwarmProcess implements AutoCloseable {
    /** Replies come within this; a child that says nothing for longer is taken as dead. */
    private static final long REPLY_SECONDS = 120;
    private static final String ENDED = "\u0000ended";

    private final ChildProcess child;
    private final PrintStream commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    SwarmProcess(InetSocketAddress relay, String stream, int players, int stalledPlayers, boolean awaitWelcome, Path log)
            throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), SwarmMain.class.getName(),
                relay.getHostString(), Integer.toString(relay.getPort()), stream, Integer.toString(players),
                Integer.toString(stalledPlayers), Boolean.toString(awaitWelcome));
        child = ChildProcess.start(new ProcessBuilder(command).redirectError(log.toFile()));
        commands = new PrintStream(child.process().getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readReplies, "bench-players-replies");
        reader.setDaemon(true);
        reader.start();
    }

    private void readReplies() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(child.process().getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) replies.add(line);
        } catch (IOException e) {
            // the child is gone: said below
        }
        replies.add(ENDED);
    }

    long pid() {
        return child.process().pid();
    }

    /** utime + stime of the players' process, in seconds. */
    double cpuSeconds() throws IOException {
        return ProcStat.cpuSeconds(pid());
    }

    /** Whether every player connected (and was welcomed, where the relay welcomes) within the child's minute. */
    boolean awaitConnected() throws InterruptedException {
        return reply().equals(SwarmLines.CONNECTED);
    }

    void startMeasuring(long videoSequence, long audioSequence) throws InterruptedException {
        ask(SwarmLines.start(videoSequence, audioSequence));
    }

    void stopMeasuring() throws InterruptedException {
        ask(SwarmLines.STOP);
    }

    SubscriberSwarm.Snapshot snapshot() throws InterruptedException {
        commands.println(SwarmLines.SNAPSHOT);
        return SwarmLines.decode(reply());
    }

    private void ask(String command) throws InterruptedException {
        commands.println(command);
        String reply = reply();
        if (!reply.equals(SwarmLines.OK)) throw new IllegalStateException("the players' process answered '" + reply + "' to " + command);
    }

    private String reply() throws InterruptedException {
        String line = replies.poll(REPLY_SECONDS, TimeUnit.SECONDS);
        if (line == null) throw new IllegalStateException("the players' process did not answer within " + REPLY_SECONDS + " s");
        if (line.equals(ENDED)) throw new IllegalStateException("the players' process ended (see its log)");
        return line;
    }

    /** Asks the child to quit (its sockets close), then makes sure it is gone. */
    @Override
    public void close() {
        commands.println(SwarmLines.QUIT);
        commands.close();
        try {
            child.process().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        child.close();
    }
}
