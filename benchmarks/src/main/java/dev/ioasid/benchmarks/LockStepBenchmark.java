package dev.ioasid.benchmarks;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Profile;
import dev.ioasid.properties.LockStep;
import dev.ioasid.properties.PropertyConfig;
import dev.ioasid.properties.PropertyEngine;
import dev.ioasid.properties.PropertyResult;
import dev.ioasid.properties.Generator;
import dev.ioasid.reference.ReferenceImplementation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Model-checked steps per second on the default bounds, single thread: the model and the reference
 * implementation in lock step with every invariant checked on every new state. Scores are in
 * steps per second (each invocation runs {@value #STEPS} steps).
 *
 * <p>{@code lockStep} replays pre-drawn sequences (checking only); {@code propertyEngine} also
 * draws them, as a property run does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class LockStepBenchmark {
    static final int SEQUENCES = 100;
    static final int LENGTH = 150;
    static final int STEPS = SEQUENCES * LENGTH;

    /** The contract profile: the iommufd one adds vIOMMU sequences and automatic domains. */
    @Param({"ioasid-2021", "iommufd"})
    public String profile;

    private PropertyConfig config;
    private final List<List<Operation>> sequences = new ArrayList<>();

    @Setup
    public void drawSequences() {
        PropertyConfig defaults = PropertyConfig.defaults().withTries(SEQUENCES).withLength(LENGTH);
        config = defaults.withBounds(defaults.bounds().withProfile(Profile.byName(profile).orElseThrow()));
        Generator generator = new Generator(config.bounds());
        SplittableRandom random = new SplittableRandom(config.seed());
        for (int s = 0; s < SEQUENCES; s++) {
            generator.startSequence(random.nextLong());
            LockStep lockStep = new LockStep(config.bounds(), ReferenceImplementation.FACTORY);
            List<Operation> ops = new ArrayList<>();
            for (int i = 0; i < LENGTH; i++) {
                Operation op = generator.next(lockStep.state(), random);
                ops.add(op);
                if (lockStep.apply(op).failed()) {
                    throw new IllegalStateException("the reference implementation fails: " + op);
                }
            }
            sequences.add(ops);
        }
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int lockStep() {
        int failures = 0;
        for (List<Operation> ops : sequences) {
            LockStep lockStep = new LockStep(config.bounds(), ReferenceImplementation.FACTORY);
            for (Operation op : ops) {
                failures += lockStep.apply(op).failed() ? 1 : 0;
            }
        }
        return failures;
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public PropertyResult propertyEngine() {
        return new PropertyEngine(config, ReferenceImplementation.FACTORY).run();
    }
}
