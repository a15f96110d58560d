package dev.ioasid.cli;

import dev.ioasid.properties.Progress;
import java.io.PrintStream;

/**
 * A progress line on standard error at most every two seconds: what is done, the rate, and an
 * estimate of what remains when the total is known. Standard error, so that it never interleaves
 * with what a command prints for machines on standard output; nothing under --quiet.
 */
final class ProgressLine implements Progress {
    private static final long EVERY_NANOS = 2_000_000_000L;

    private final String command;
    private final PrintStream err;
    private final long started = System.nanoTime();
    private long lastShown = started;

    private ProgressLine(String command, PrintStream err) {
        this.command = command;
        this.err = err;
    }

    static Progress of(String command, boolean quiet) {
        return quiet ? Progress.NONE : new ProgressLine(command, System.err);
    }

    @Override
    public void at(String phase, long done, long total) {
        long now = System.nanoTime();
        if (now - lastShown < EVERY_NANOS) {
            return;
        }
        lastShown = now;
        double seconds = (now - started) / 1e9;
        double rate = done / seconds;
        StringBuilder line = new StringBuilder(command).append(": ").append(phase).append(": ")
                .append(String.format("%,d", done));
        if (total > 0) {
            line.append(String.format(" of %,d (%.0f %%), %,.0f/s, about %.0f s left", total, 100.0 * done / total, rate,
                    rate > 0 ? (total - done) / rate : 0));
        }
        line.append(String.format(", %.0f s so far", seconds));
        err.println(line);
    }
}
