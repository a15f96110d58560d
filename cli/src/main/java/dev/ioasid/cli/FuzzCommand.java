package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.properties.PropertyConfig;
import dev.ioasid.properties.PropertyEngine;
import dev.ioasid.properties.Replay;
import dev.ioasid.properties.PropertyResult;
import dev.ioasid.properties.RunRecord;
import dev.ioasid.properties.RunReport;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceRenderer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Random operation sequences against an implementation, checked against the model, shrunk on failure. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Run the stateful property engine against an implementation and print its summary.")
final class FuzzCommand implements Callable<Integer> {
    @Mixin
    CommonOptions.BoundsFile bounds;

    @Mixin
    CommonOptions.Impl impl;

    @Option(names = "--seed", defaultValue = "" + PropertyConfig.DEFAULT_SEED, description = "master seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tries", defaultValue = "2000", description = "sequences to run (default: ${DEFAULT-VALUE})")
    int tries;

    @Option(names = "--length", defaultValue = "150", description = "operations per sequence (default: ${DEFAULT-VALUE})")
    int length;

    @Mixin
    CommonOptions.Out out;

    @Option(names = "--corpus", paramLabel = "DIR", description = "earlier failing traces (trace-*.json) to replay "
            + "before any random sequence, those with this run's bounds (default: the --out directory)")
    Path corpusDir;

    @Option(names = "--shard", paramLabel = "K/N", description = "run shard K of N: the run's sequences are the "
            + "unsharded run's K-1, K-1+N, K-1+2N, ... (each of N machines runs one shard; merge joins their "
            + "run records) (default: 1/1)")
    String shardOption;

    @Option(names = "--shrink-time", paramLabel = "SECONDS", defaultValue = "0",
            description = "stop shrinking this long after the first failure and report the smallest trace found "
                    + "by then, marked as not proven minimal (default: 0, no limit)")
    double shrinkTime;

    @Option(names = "--feedback", description = "coverage feedback: the generator's weights move toward the "
            + "calls that still reach (call, outcome, rules, state shape) cells the run has not seen; each sequence "
            + "then depends on the ones before it, so it does not combine with --shard (default: off)")
    boolean feedback;

    @Option(names = "--parallel", description = "concurrent histories: a prefix alone, then --threads threads of "
            + "--calls calls each on one instance, each history checked for linearizability against the model, under a "
            + "controlled scheduler whose seed decides every switch (default bounds: the explorer's small ones, "
            + "default implementation: reference-concurrent)")
    boolean parallel;

    @Option(names = "--threads", defaultValue = "2", description = "with --parallel: threads, 2 to 4 (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--calls", defaultValue = "4", description = "with --parallel: calls a thread (default: ${DEFAULT-VALUE})")
    int calls;

    @Option(names = "--prefix", defaultValue = "6", description = "with --parallel: random calls run alone first, before most tries steer further "
            + "towards a fault or translation state (default: ${DEFAULT-VALUE})")
    int prefix;

    @Option(names = "--stress", description = "with --parallel: free-running threads instead of the controlled "
            + "scheduler (finds what the implementation's own points do not mark; a failure may not replay)")
    boolean stress;

    @Mixin
    CommonOptions.Quiet quiet;

    /** The last verdict in a few words, for the check command's summary. */
    String verdict = "not run";

    /** The HTML report's file name in --out (check names each command's own). */
    String reportName = dev.ioasid.reports.html.HtmlReport.FILE_NAME;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws BadInputException, java.io.IOException {
        if (tries < 1 || length < 1) {
            throw new BadInputException("--tries and --length must be at least 1");
        }
        if (!(shrinkTime >= 0) || Double.isInfinite(shrinkTime)) {
            throw new BadInputException("--shrink-time must be 0 (no limit) or a number of seconds, was " + shrinkTime);
        }
        int[] shard = shard();
        this.shard = shard[0];
        this.shards = shard[1];
        if (feedback && shards > 1) {
            throw new BadInputException("--feedback does not combine with --shard " + shardOption + ": with feedback a "
                    + "sequence depends on the sequences before it in its own run, so the shards would not run the "
                    + "sequences of one run between them");
        }
        if (parallel) {
            return parallel();
        }
        if (stress) {
            throw new BadInputException("--stress goes with --parallel");
        }
        out.ready();
        PropertyConfig config = new PropertyConfig(bounds.orElse(Bounds.defaults()), tries, length, seed, 50_000);
        return Implementations.using(impl.factory(), config.bounds(), factory -> run(factory, config));
    }

    private Integer run(ImplementationFactory factory, PropertyConfig config) throws BadInputException {
        FailureCorpus corpus = FailureCorpus.read(corpusDir != null ? corpusDir : out.dir, corpusDir != null,
                config.bounds());
        PropertyEngine engine = new PropertyEngine(config, factory).reporting(ProgressLine.of("fuzz", quiet.quiet))
                .replayingFirst(corpus.entries()).shrinkingForAtMost(shrinkTime).sharded(shard, shards);
        if (feedback) {
            engine.withFeedback();
        }
        PropertyResult result = Interruption.during(() -> onInterrupt(engine, config, factory), engine::run);
        java.util.Optional<String> corpusLine = corpus.describe(engine.corpusOutcome());
        corpusLine.ifPresent(System.out::println);
        verdict = (result instanceof PropertyResult.Passed ? "PASSED" : "FALSIFIED")
                + String.format(" (%,d sequences, %,d steps)", result.coverage().sequences(), result.coverage().steps());
        java.util.List<String> notes = new java.util.ArrayList<>();
        corpusLine.ifPresent(notes::add);
        engine.feedbackCells().ifPresent(cells -> notes.add(String.format("coverage feedback: %,d cells reached", cells)));
        if (!(result instanceof PropertyResult.Falsified falsified)) {
            System.out.print(RunReport.summary(result));
            printFeedback(engine);
            boolean recorded = record(result, null, factory, config);
            HtmlPages.write(out.dir, reportFile(), HtmlPages.fuzz(result, runCommand(), null, java.util.List.of(), notes));
            return recorded ? Main.HOLDS : Main.OUTPUT_LOST;
        }
        // The failure first, then the run's table.
        Path traceFile = traceFile(factory, config);
        boolean written = report(falsified, config, factory);
        System.out.println();
        System.out.print(RunReport.summary(result));
        printFeedback(engine);
        written &= record(result, written ? traceFile : null, factory, config);
        HtmlPages.write(out.dir, reportFile(), HtmlPages.fuzz(result, runCommand(), RunReport.trace(falsified),
                java.util.List.of(ReplayLine.of(traceFile, factory)), notes));
        return written ? Main.VIOLATION : Main.OUTPUT_LOST;
    }

    /** fuzz --parallel: concurrent histories checked for linearizability. */
    private Integer parallel() throws BadInputException, java.io.IOException {
        if (shards > 1 || feedback) {
            throw new BadInputException("--parallel does not combine with " + (shards > 1 ? "--shard" : "--feedback"));
        }
        for (String sequentialOnly : java.util.List.of("--length", "--corpus")) {
            if (spec != null && spec.commandLine().getParseResult().hasMatchedOption(sequentialOnly)) {
                throw new BadInputException("--parallel does not combine with " + sequentialOnly + ": a parallel run's "
                        + "histories are shaped by --prefix, --threads and --calls, and it keeps no corpus of traces");
            }
        }
        // The controlled scheduler decides only our threads' turns; another process runs its own threads.
        boolean freeThreads = stress || impl.inAnotherProcess();
        dev.ioasid.properties.concurrent.ParallelConfig config;
        try {
            config = new dev.ioasid.properties.concurrent.ParallelConfig(
                    bounds.orElse(dev.ioasid.properties.concurrent.ParallelConfig.defaultBounds()), tries, prefix, threads,
                    calls, seed, !freeThreads, shrinkTime);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--parallel: " + e.getMessage());
        }
        out.ready();
        ImplementationFactory chosen = impl.name == null && !impl.inAnotherProcess()
                ? Implementations.byName("reference-concurrent") : impl.factory();
        StringBuilder line = new StringBuilder("java -jar " + ReplayLine.JAR + " fuzz --parallel");
        if (impl.inAnotherProcess()) {
            for (String arg : impl.asArguments()) {
                line.append(' ').append(ReplayLine.word(arg));
            }
        } else {
            line.append(" --impl ").append(chosen instanceof dev.ioasid.mutants.Mutant ? "mutant:" + chosen.name() : chosen.name());
        }
        appendBoundsSeedAndTries(line);
        line.append(" --prefix ").append(prefix)
                .append(" --threads ").append(threads).append(" --calls ").append(calls).append(stress ? " --stress" : "");
        if (shrinkTime > 0) {
            line.append(" --shrink-time ").append(shrinkTime);
        }
        return Implementations.using(chosen, config.bounds(), factory -> {
            if (factory instanceof dev.ioasid.process.ProcessImplementationFactory process) {
                if (!process.acceptsConcurrentRequests(config.bounds())) {
                    throw new BadInputException("--parallel --impl-cmd: `" + process.command() + "` did not declare "
                            + "\"concurrent\": true in its hello, so it is sent one request at a time and no race could "
                            + "show (PROTOCOL.md, \"Concurrent requests\")");
                }
                process.callConcurrently();
            }
            return ParallelFuzz.run(config, factory, line.toString(), out.dir, reportName);
        });
    }

    /** The report's file name: a shard's carries its shard, so that the shards' artifacts can share a directory. */
    private String reportFile() {
        return shards > 1 && reportName.equals(dev.ioasid.reports.html.HtmlReport.FILE_NAME)
                ? "report" + shardTag() + ".html" : reportName;
    }

    /** The options a run's command line repeats in both modes: the bounds file, the profile, the seed and the tries. */
    private void appendBoundsSeedAndTries(StringBuilder line) {
        if (bounds.file != null) {
            line.append(" --bounds ").append(ReplayLine.word(bounds.file.toString()));
        }
        if (bounds.profile != null) {
            line.append(" --profile ").append(bounds.profile);
        }
        line.append(" --seed ").append(seed).append(" --tries ").append(tries);
    }

    /** The command line that runs this run again. */
    private String runCommand() {
        StringBuilder line = new StringBuilder("java -jar " + ReplayLine.JAR + " fuzz");
        for (String arg : impl.asArguments()) {
            line.append(' ').append(ReplayLine.word(arg));
        }
        appendBoundsSeedAndTries(line);
        line.append(" --length ").append(length);
        if (shards > 1) {
            line.append(" --shard ").append(shard).append('/').append(shards);
        }
        return line.append(feedback ? " --feedback" : "").toString();
    }

    private int shard = 1;
    private int shards = 1;

    private static void printFeedback(PropertyEngine engine) {
        engine.feedbackCells().ifPresent(cells -> System.out.printf(
                "feedback: %,d (call, outcome, rules, state shape) cells reached; the weights moved toward the calls still finding new ones%n", cells));
    }

    /** --shard K/N as {K, N}; 1/1 when absent. */
    private int[] shard() throws BadInputException {
        if (shardOption == null) {
            return new int[] {1, 1};
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})/(\\d{1,9})").matcher(shardOption.trim());
        if (!m.matches()) {
            throw new BadInputException("--shard must be K/N (e.g. 2/8), was '" + shardOption + "'");
        }
        int k = Integer.parseInt(m.group(1));
        int n = Integer.parseInt(m.group(2));
        if (n < 1 || k < 1 || k > n) {
            throw new BadInputException("--shard K/N needs 1 <= K <= N, was " + shardOption);
        }
        return new int[] {k, n};
    }

    /** The shard's part of a file name: empty for an unsharded run. */
    private String shardTag() {
        return shards == 1 ? "" : "-shard" + shard + "of" + shards;
    }

    private String runName(ImplementationFactory factory, PropertyConfig config) {
        return factory.name() + "-seed" + seed + runTag(config) + shardTag();
    }

    private Path traceFile(ImplementationFactory factory, PropertyConfig config) {
        return out.dir.resolve("trace-" + runName(factory, config) + ".json");
    }

    /** Writes the run record ({@code run-*.json}) that merge reads; whole or not at all. */
    private boolean record(PropertyResult result, Path trace, ImplementationFactory factory, PropertyConfig config) {
        Path file = out.dir.resolve("run-" + runName(factory, config) + ".json");
        return Outputs.writeOrPrint(file, RunRecord.of(result, shard, shards, feedback, trace).toJson(), null, null);
    }

    /**
     * Ctrl-C: what was covered, and the smallest failure found so far (shrunk as far as it got),
     * written and printed; the JVM then exits 130.
     */
    private void onInterrupt(PropertyEngine engine, PropertyConfig config, ImplementationFactory factory) {
        PropertyEngine.Snapshot at = engine.snapshot();
        System.out.println();
        System.out.println("INTERRUPTED after " + at.sequences() + " of " + config.tries() + " sequences: "
                + (at.smallestFailure().isEmpty() ? "no failure found so far (not a pass: the run did not finish)"
                : "a failure was found; its smallest trace so far follows"));
        at.smallestFailure().forEach(shrunk -> {
            Replay.Replayed replayed = Replay.run(config.bounds(), factory, shrunk.ops(), io.vavr.collection.List.empty());
            if (replayed.failure().isEmpty()) {
                return;
            }
            PropertyResult.Falsified partial = new PropertyResult.Falsified(config, new dev.ioasid.properties.Coverage(),
                    factory.name(), at.sequences() - 1, shrunk.ops().size(),
                    new dev.ioasid.properties.Shrinker.Shrunk(replayed.applied(), replayed.failure().get(), shrunk.replays(), true),
                    replayed.records(), 0, 0);
            report(partial, config, factory);
        });
        System.out.flush();
    }

    /**
     * Writes the failure's trace (JSON and Markdown, with how to reach the implementation) and prints
     * it with the line that replays it; returns whether the files were written.
     */
    private boolean report(PropertyResult.Falsified falsified, PropertyConfig config, ImplementationFactory factory) {
        Path traceFile = traceFile(factory, config);
        String name = traceFile.getFileName().toString().replaceFirst("\\.json$", "");
        var trace = RunReport.trace(falsified).withReach(ReplayLine.reach(factory));
        java.util.List<String> replay = java.util.List.of(ReplayLine.of(traceFile, factory));
        boolean written = Outputs.writeOrPrint(traceFile, TraceFile.toJson(trace), out.dir.resolve(name + ".md"),
                TraceRenderer.markdown(trace, replay));
        System.out.print(RunReport.failureText(falsified, replay));
        return written;
    }

    /**
     * Tells traces of runs with other bounds or lengths apart, so that one never overwrites another's:
     * empty on the defaults, else a short hash of the bounds and the length.
     */
    static String runTag(PropertyConfig config) {
        if (config.bounds().equals(Bounds.defaults()) && config.length() == 150) {
            return "";
        }
        int hash = (TraceFile.boundsJson(config.bounds()) + "/" + config.length()).hashCode();
        return String.format("-%08x", hash);
    }
}
