package dev.ioasid.properties;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelState;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.SplittableRandom;

/**
 * The stateful property: random operation sequences run in lock step against the model. When a
 * sequence fails, a few more failing sequences are sought (shrinking reaches a local minimum; other
 * starting points reach other ones), each is shrunk, and the smallest trace is kept.
 * Deterministic for a given configuration.
 */
public final class PropertyEngine {
    /** How many failing sequences are shrunk at most, the first included. */
    static final int FAILURES_TO_SHRINK = 4;
    /** How many further sequences are run at most looking for them, after the first failure. */
    static final int EXTRA_SEQUENCES = 2000;

    private final PropertyConfig config;
    private final ImplementationFactory factory;
    private final Generator generator;
    private Progress progress = Progress.NONE;
    /** How far the run got, for a caller that is interrupted before it ends (read from another thread). */
    private volatile Snapshot snapshot = new Snapshot(0, Option.none());

    /**
     * How far a run got: sequences run, and the smallest failing sequence found so far (shrunk as far
     * as it got), if any.
     */
    public record Snapshot(int sequences, Option<Shrinker.Shrunk> smallestFailure) {
    }

    public PropertyEngine(PropertyConfig config, ImplementationFactory factory) {
        this.config = config;
        this.factory = factory;
        this.generator = new Generator(config.bounds());
    }

    /** Reports how many sequences are done, then how the shrinking goes. */
    public PropertyEngine reporting(Progress progress) {
        this.progress = progress;
        return this;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Stops shrinking after this many seconds from the first failure (0: no limit, the default): the
     * smallest trace found by then is reported, marked as not proven minimal. Where it stops depends
     * on the machine's speed; the trace file it writes replays exactly all the same.
     */
    public PropertyEngine shrinkingForAtMost(double seconds) {
        if (seconds < 0 || Double.isNaN(seconds)) {
            throw new IllegalArgumentException("the shrink time limit must be 0 (none) or more seconds, was " + seconds);
        }
        this.shrinkNanos = seconds == 0 ? 0 : (long) Math.min(Long.MAX_VALUE / 4.0, seconds * 1e9);
        return this;
    }

    private long shrinkNanos;
    private long shrinkDeadline = Long.MAX_VALUE;

    /** Earlier failing sequences, replayed in order before the first random one ({@link Corpus}). */
    public PropertyEngine replayingFirst(List<Corpus.Entry> corpus) {
        this.corpus = corpus;
        return this;
    }

    /** What the run's replay of the corpus found (nothing replayed if it had none). */
    public Corpus.Outcome corpusOutcome() {
        return corpusOutcome;
    }

    private List<Corpus.Entry> corpus = List.empty();
    private Corpus.Outcome corpusOutcome = new Corpus.Outcome(0, Option.none());

    public PropertyResult run() {
        Coverage coverage = new Coverage();
        long started = System.nanoTime();
        int replayed = 0;
        for (Corpus.Entry entry : corpus) {
            Replay.Replayed again = Replay.run(config.bounds(), factory, entry.ops(), entry.observed());
            replayed++;
            if (again.failure().isDefined()) {
                corpusOutcome = new Corpus.Outcome(replayed, Option.some(entry.name()));
                // Sequence -1: found before any random sequence; no further failures are sought.
                return falsified(coverage, -1, again, seconds(started));
            }
        }
        corpusOutcome = new Corpus.Outcome(replayed, Option.none());
        for (int run = 0; run < config.tries(); run++) {
            int sequence = globalSequence(run);
            Option<Replay.Replayed> failed = runSequence(sequence, coverage);
            snapshot = new Snapshot(run + 1, snapshot.smallestFailure());
            progress.at("sequences", run + 1, config.tries());
            if (failed.isDefined()) {
                Replay.Replayed f = failed.get();
                snapshot = new Snapshot(run + 1, Option.some(new Shrinker.Shrunk(
                        f.applied().take(f.failure().get().step() + 1), f.failure().get(), 0, false)));
                return falsified(coverage, sequence, failed.get(), seconds(started));
            }
        }
        return new PropertyResult.Passed(config, coverage, factory.name(), seconds(started));
    }

    /**
     * Runs shard {@code k} of {@code n} (1-based) of the seed's sequences: the run's j-th sequence is
     * the unsharded run's sequence {@code (k - 1) + n * j}, so the n shards of {@code tries} sequences
     * each run, between them, exactly the first {@code n * tries} sequences of one unsharded run, each
     * once. A failure names its sequence by that index: an unsharded run replays it.
     */
    public PropertyEngine sharded(int k, int n) {
        if (n < 1 || k < 1 || k > n) {
            throw new IllegalArgumentException("shard must be K/N with 1 <= K <= N, was " + k + "/" + n);
        }
        this.shard = k - 1;
        this.shards = n;
        return this;
    }

    private int shard;
    private int shards = 1;

    /**
     * Coverage feedback for the generator ({@link Feedback}): each sequence then depends on the
     * ones before it, so the fuzz command refuses it with --shard.
     */
    public PropertyEngine withFeedback() {
        generator.withFeedback();
        return this;
    }

    /** How many coverage cells the feedback saw, if it was on. */
    public java.util.OptionalInt feedbackCells() {
        return generator.cellsSeen();
    }

    /** The unsharded run's index of this run's {@code run}-th sequence. */
    private int globalSequence(int run) {
        long global = shard + (long) shards * run;
        if (global > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shard " + (shard + 1) + "/" + shards + " of " + config.tries()
                    + " sequences goes past sequence " + Integer.MAX_VALUE);
        }
        return (int) global;
    }

    /** The seed of one sequence: a pure function of the master seed and its index. */
    static long sequenceSeed(long seed, int sequence) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (sequence + 1))).nextLong();
    }

    /** Draws and checks one sequence; what it ran, if it failed. */
    private Option<Replay.Replayed> runSequence(int sequence, Coverage coverage) {
        long seed = sequenceSeed(config.seed(), sequence);
        SplittableRandom random = new SplittableRandom(seed);
        coverage.sequence();
        generator.startSequence(seed);
        LockStep lockStep = new LockStep(config.bounds(), factory);
        List<Operation> ops = List.empty();
        List<Option<Result>> results = List.empty();
        List<StepRecord> records = List.empty();
        for (int i = 0; i < config.length(); i++) {
            ModelState before = lockStep.state();
            Operation op = generator.next(before, random);
            LockStep.Outcome outcome = lockStep.apply(op);
            ops = ops.append(op);
            results = results.append(outcome.record().map(StepRecord::observed));
            records = records.appendAll(outcome.record());
            outcome.record().forEach(record -> coverage.step(record, before, lockStep.state()));
            outcome.record().forEach(record -> generator.observe(record, before));
            if (outcome.failed()) {
                return Option.some(new Replay.Replayed(ops, results, records, outcome.failure()));
            }
        }
        return Option.none();
    }

    private PropertyResult falsified(Coverage coverage, int firstSequence, Replay.Replayed first, double secondsToFind) {
        long started = System.nanoTime();
        if (first.failure().get() instanceof Failure.Broke) {
            // Not shrunk, nor looked for again: see ImplementationBroke.
            Shrinker.Shrunk asRun = new Shrinker.Shrunk(first.applied(), first.failure().get(), 0, false);
            return new PropertyResult.Falsified(config, coverage, factory.name(), firstSequence, first.applied().size(),
                    asRun, first.records(), secondsToFind, seconds(started));
        }
        int sequence = firstSequence;
        int length = first.applied().size();
        shrinkDeadline = shrinkNanos == 0 ? Long.MAX_VALUE : started + shrinkNanos;
        Shrinker.Shrunk best = shrink(first);
        // No shrinking asked (mutation testing only needs to know that a run fails): no more failures
        // sought either; nor after a corpus replay, which was shrunk when it was first found.
        int shrunkFailures = config.maxShrinkReplays() == 0 || firstSequence < 0 ? FAILURES_TO_SHRINK : 1;
        Coverage ignored = new Coverage();
        for (int next = firstSequence + shards; next <= firstSequence + EXTRA_SEQUENCES * shards
                && shrunkFailures < FAILURES_TO_SHRINK && !pastShrinkDeadline(); next += shards) {
            Option<Replay.Replayed> failed = runSequence(next, ignored);
            if (failed.isDefined() && !(failed.get().failure().get() instanceof Failure.Broke)) {
                shrunkFailures++;
                Shrinker.Shrunk candidate = shrink(failed.get());
                if (Shrinker.smaller(candidate.ops(), best.ops())) {
                    best = candidate;
                    sequence = next;
                    length = failed.get().applied().size();
                }
            }
        }
        // The shrunk operations are as applied, with the IDs this implementation hands out: replay them as they are.
        Replay.Replayed last = Replay.run(config.bounds(), factory, best.ops(), List.empty());
        List<StepRecord> trace = last.records();
        if (last.failure().isDefined() && last.failure().get() instanceof Failure.Broke) {
            // It broke the protocol this time (a process that crashes after so many requests, whatever
            // they are): that is what the user needs to see, with the steps that led there.
            best = new Shrinker.Shrunk(last.applied(), last.failure().get(), best.replays(), best.budgetExhausted());
        }
        boolean examinable = last.failure().isDefined() && !(last.failure().get() instanceof Failure.Broke)
                && !(last.failure().get() instanceof Failure.Crashed) && !pastShrinkDeadline()
                && config.maxShrinkReplays() > 0; // no shrinking asked: only whether it fails matters
        Option<RootCause.Cause> cause = examinable ? RootCause.find(config.bounds(), factory, trace) : Option.none();
        return new PropertyResult.Falsified(config, coverage, factory.name(), sequence, length, best, trace,
                secondsToFind, seconds(started), cause);
    }

    private boolean pastShrinkDeadline() {
        return shrinkDeadline != Long.MAX_VALUE && System.nanoTime() - shrinkDeadline > 0;
    }

    private Shrinker.Shrunk shrink(Replay.Replayed failing) {
        return new Shrinker((ops, before) -> Replay.run(config.bounds(), factory, ops, before), config.maxShrinkReplays())
                .observing(this::smallerFound)
                .probing(config.bounds())
                .until(shrinkDeadline)
                .shrink(failing);
    }

    private void smallerFound(Shrinker.Shrunk shrunk) {
        Option<Shrinker.Shrunk> best = snapshot.smallestFailure();
        if (best.isEmpty() || Shrinker.smaller(shrunk.ops(), best.get().ops())) {
            snapshot = new Snapshot(snapshot.sequences(), Option.some(shrunk));
            progress.at("shrinking: steps in the smallest failing sequence", shrunk.ops().size(), 0);
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
