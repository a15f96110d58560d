package dev.ioasid.properties;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Operation;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.SplittableRandom;

/**
 * The stateful property: random operation sequences run in lock step against the model; the first
 * failing sequence is shrunk to a 1-minimal trace. Deterministic for a given configuration.
 */
public final class PropertyEngine {
    private final PropertyConfig config;
    private final ImplementationFactory factory;
    private final Generator generator;

    public PropertyEngine(PropertyConfig config, ImplementationFactory factory) {
        this.config = config;
        this.factory = factory;
        this.generator = new Generator(config.bounds());
    }

    public PropertyResult run() {
        Coverage coverage = new Coverage();
        long started = System.nanoTime();
        for (int sequence = 0; sequence < config.tries(); sequence++) {
            SplittableRandom random = new SplittableRandom(sequenceSeed(config.seed(), sequence));
            coverage.sequence();
            LockStep lockStep = new LockStep(config.bounds(), factory);
            List<Operation> ops = List.empty();
            for (int i = 0; i < config.length(); i++) {
                Operation op = generator.next(lockStep.state(), random);
                ops = ops.append(op);
                LockStep.Outcome outcome = lockStep.apply(op);
                outcome.record().forEach(coverage::step);
                if (outcome.failed()) {
                    return falsified(coverage, sequence, ops, outcome.failure().get(), seconds(started));
                }
            }
        }
        return new PropertyResult.Passed(config, coverage, factory.name(), seconds(started));
    }

    /** Replays a fixed sequence against a fresh implementation; the first failure, if any. */
    public static Option<Failure> replay(PropertyConfig config, ImplementationFactory factory, List<Operation> ops) {
        LockStep lockStep = new LockStep(config.bounds(), factory);
        for (Operation op : ops) {
            LockStep.Outcome outcome = lockStep.apply(op);
            if (outcome.failed()) {
                return outcome.failure();
            }
        }
        return Option.none();
    }

    /** Every step of a sequence, replayed, up to and including the first failure. */
    public static List<StepRecord> record(PropertyConfig config, ImplementationFactory factory, List<Operation> ops) {
        LockStep lockStep = new LockStep(config.bounds(), factory);
        List<StepRecord> records = List.empty();
        for (Operation op : ops) {
            LockStep.Outcome outcome = lockStep.apply(op);
            records = records.appendAll(outcome.record());
            if (outcome.failed()) {
                break;
            }
        }
        return records;
    }

    /** The seed of one sequence: a pure function of the master seed and its index. */
    static long sequenceSeed(long seed, int sequence) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (sequence + 1))).nextLong();
    }

    private PropertyResult falsified(Coverage coverage, int sequence, List<Operation> ops, Failure failure,
                                     double secondsToFind) {
        long started = System.nanoTime();
        Shrinker shrinker = new Shrinker(candidate -> replay(config, factory, candidate), config.maxShrinkReplays());
        Shrinker.Shrunk shrunk = shrinker.shrink(ops, failure);
        List<StepRecord> trace = record(config, factory, shrunk.ops());
        return new PropertyResult.Falsified(config, coverage, factory.name(), sequence, ops.size(), shrunk, trace,
                secondsToFind, seconds(started));
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
