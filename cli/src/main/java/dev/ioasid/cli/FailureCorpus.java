package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.properties.Corpus;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceFormatException;
import dev.ioasid.reports.TraceStep;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The trace files earlier fuzz runs wrote ({@code trace-*.json} in a directory), as the corpus a run
 * replays first ({@link Corpus}). Only traces made under the run's bounds (its profile included)
 * are replayed: a sequence means what it meant only under the bounds it was drawn for. A file that
 * is not a readable trace is left out with a warning: the corpus is a cache, and a bad entry in it
 * must not stop a run.
 */
final class FailureCorpus {
    private final Path dir;
    private final List<Corpus.Entry> entries;
    private final int otherBounds;

    private FailureCorpus(Path dir, List<Corpus.Entry> entries, int otherBounds) {
        this.dir = dir;
        this.entries = entries;
        this.otherBounds = otherBounds;
    }

    /**
     * @param required whether the directory was named ({@code --corpus}): then it must exist; the
     *                 output directory may not exist yet, and then there is no corpus
     */
    static FailureCorpus read(Path dir, boolean required, Bounds bounds) throws BadInputException {
        if (!Files.isDirectory(dir)) {
            if (required) {
                throw new BadInputException("--corpus " + dir + ": not a directory");
            }
            return new FailureCorpus(dir, List.empty(), 0);
        }
        java.util.List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(f -> f.getFileName().toString().startsWith("trace-")
                    && f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new BadInputException("--corpus " + dir + ": cannot be listed: " + e.getMessage());
        }
        List<Corpus.Entry> entries = List.empty();
        int otherBounds = 0;
        for (Path file : files) {
            Trace trace;
            try {
                trace = TraceFile.read(file);
            } catch (TraceFormatException e) {
                System.err.println("corpus: " + file + " left out: " + e.getMessage());
                continue;
            }
            if (!trace.bounds().equals(bounds)) {
                otherBounds++;
                continue;
            }
            List<TraceStep> steps = List.ofAll(trace.steps());
            entries = entries.append(new Corpus.Entry(file.toString(), steps.map(TraceStep::op),
                    steps.map(step -> Option.of(step.observed()))));
        }
        return new FailureCorpus(dir, entries, otherBounds);
    }

    List<Corpus.Entry> entries() {
        return entries;
    }

    /** What to tell about the corpus after the run: nothing if there was none. */
    Optional<String> describe(Corpus.Outcome outcome) {
        if (entries.isEmpty() && otherBounds == 0) {
            return Optional.empty();
        }
        String skipped = otherBounds == 0 ? "" : " (" + otherBounds + " made under other bounds left out)";
        if (outcome.failing().isDefined()) {
            return Optional.of("corpus: " + outcome.failing().get() + " fails again, the " + ordinal(outcome.replayed())
                    + " of " + entries.size() + " earlier failing traces in " + dir + skipped);
        }
        return Optional.of("corpus: " + outcome.replayed() + " earlier failing trace(s) in " + dir
                + " replayed first" + skipped + ": none fails now");
    }

    private static String ordinal(int n) {
        return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th");
    }
}
