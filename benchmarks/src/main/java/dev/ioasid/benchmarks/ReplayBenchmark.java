package dev.ioasid.benchmarks;

import dev.ioasid.contract.Operation;
import dev.ioasid.properties.Generator;
import dev.ioasid.properties.LockStep;
import dev.ioasid.properties.PropertyConfig;
import dev.ioasid.properties.Replay;
import dev.ioasid.reference.ReferenceImplementation;
import io.vavr.collection.List;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One replay of a long trace against the reference implementation on the default bounds, as
 * {@code replay} and the shrinker do: milliseconds per replay of {@code steps} steps drawn by the
 * property generator. A linear replay takes ten times as long for ten times the steps; the
 * quadratic one it replaced took 2 s for 10,000 steps and some 200 s for 100,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReplayBenchmark {
    @Param({"10000", "100000"})
    int steps;

    private final PropertyConfig config = PropertyConfig.defaults();
    private List<Operation> ops;

    @Setup
    public void drawTrace() {
        Generator generator = new Generator(config.bounds());
        generator.startSequence();
        SplittableRandom random = new SplittableRandom(config.seed());
        LockStep lockStep = new LockStep(config.bounds(), ReferenceImplementation.FACTORY);
        ArrayList<Operation> drawn = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            Operation op = generator.next(lockStep.state(), random);
            drawn.add(op);
            if (lockStep.apply(op).failed()) {
                throw new IllegalStateException("the reference implementation fails: " + op);
            }
        }
        ops = List.ofAll(drawn);
    }

    @Benchmark
    public Replay.Replayed replay() {
        return Replay.run(config.bounds(), ReferenceImplementation.FACTORY, ops, List.empty());
    }
}
