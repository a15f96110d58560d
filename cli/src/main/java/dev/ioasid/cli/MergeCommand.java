package dev.ioasid.cli;

import dev.ioasid.properties.Campaign;
import dev.ioasid.properties.RunRecord;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceFormatException;
import dev.ioasid.reports.TraceRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Joins the run records of a sharded campaign (fuzz --shard K/N on N machines) into one result. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merge the run records (run-*.json) of the shards of one fuzz campaign (fuzz --shard K/N):",
                "one summary, the health of the whole, and the smallest failing trace the shards found.",
                "Exit 0: every shard reported and passed; 1: a shard found a failure; 2: a record cannot be read or",
                "is not of the campaign; 3: no failure, but shards are missing."})
final class MergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", arity = "1..*",
            description = "run records, or directories searched (three levels deep) for run-*.json")
    List<Path> runs;

    @Override
    public Integer call() throws BadInputException {
        List<Path> files = files();
        List<RunRecord> records = new ArrayList<>();
        for (Path file : files) {
            try {
                records.add(RunRecord.read(file));
            } catch (TraceFormatException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        Campaign.Merged merged;
        try {
            merged = Campaign.merge(records, files.stream().map(Path::toString).toList());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!merged.failed().isEmpty()) {
            printSmallestFailure(merged, files, records);
            System.out.println();
        }
        System.out.print(Campaign.summary(merged));
        return !merged.failed().isEmpty() ? Main.VIOLATION : merged.missing().isEmpty() ? Main.HOLDS : Main.INCONCLUSIVE;
    }

    /** The smallest of the shards' failing traces, whole, with the line that replays it; the others by name. */
    private static void printSmallestFailure(Campaign.Merged merged, List<Path> files, List<RunRecord> records)
            throws BadInputException {
        List<Path> traces = new ArrayList<>();
        List<Trace> read = new ArrayList<>();
        for (RunRecord failed : merged.failed()) {
            if (failed.trace() == null) {
                System.out.println("shard " + failed.shard() + "/" + failed.shards() + " failed but could not write its trace");
                continue;
            }
            Path recordFile = files.get(records.indexOf(failed));
            Path trace = located(recordFile, Path.of(failed.trace()));
            try {
                read.add(TraceFile.read(trace));
                traces.add(trace);
            } catch (TraceFormatException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        if (read.isEmpty()) {
            return;
        }
        int smallest = 0;
        for (int i = 1; i < read.size(); i++) {
            if (read.get(i).steps().size() < read.get(smallest).steps().size()) {
                smallest = i;
            }
        }
        Trace trace = read.get(smallest);
        String reach = trace.reach() == null ? "--impl " + trace.implementation() : trace.reach();
        System.out.print(TraceRenderer.text(trace, List.of("java -jar " + ReplayLine.JAR + " replay " + traces.get(smallest)
                + " " + reach)));
        for (int i = 0; i < traces.size(); i++) {
            if (i != smallest) {
                System.out.println("another shard's failing trace (" + read.get(i).steps().size() + " steps): " + traces.get(i));
            }
        }
    }

    /**
     * A trace named by a record: beside the record when it was copied there (CI artifacts land
     * elsewhere than the machine wrote them), else where the record says.
     */
    private static Path located(Path record, Path trace) {
        Path beside = record.resolveSibling(trace.getFileName());
        return Files.isRegularFile(beside) ? beside : trace;
    }

    private List<Path> files() throws BadInputException {
        return Inputs.files(runs, 3, "run-.*\\.json", "run-*.json record");
    }
}
