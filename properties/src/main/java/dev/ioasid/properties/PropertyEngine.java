package dev.ioasid.properties;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
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
            List<Option<Result>> results = List.empty();
            for (int i = 0; i < config.length(); i++) {
                Operation op = generator.next(lockStep.state(), random);
                LockStep.Outcome outcome = lockStep.apply(op);
                ops = ops.append(op);
                results = results.append(outcome.record().map(StepRecord::observed));
                outcome.record().forEach(coverage::step);
                if (outcome.failed()) {
                    Replay.Replayed found = new Replay.Replayed(ops, results, List.empty(), outcome.failure());
                    return falsified(coverage, sequence, found, seconds(started));
                }
            }
        }
        return new PropertyResult.Passed(config, coverage, factory.name(), seconds(started));
    }

    /** The seed of one sequence: a pure function of the master seed and its index. */
    static long sequenceSeed(long seed, int sequence) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (sequence + 1))).nextLong();
    }

    private PropertyResult falsified(Coverage coverage, int sequence, Replay.Replayed found, double secondsToFind) {
        long started = System.nanoTime();
        Shrinker shrinker = new Shrinker((ops, before) -> Replay.run(config.bounds(), factory, ops, before),
                config.maxShrinkReplays());
        Shrinker.Shrunk shrunk = shrinker.shrink(found);
        // The shrunk operations are as applied, with the IDs this implementation hands out: replay them as they are.
        List<StepRecord> trace = Replay.run(config.bounds(), factory, shrunk.ops(), List.empty()).records();
        return new PropertyResult.Falsified(config, coverage, factory.name(), sequence, found.applied().size(), shrunk,
                trace, secondsToFind, seconds(started));
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
