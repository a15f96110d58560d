package dev.ioasid.benchmarks;

import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.explorer.ExploreResult;
import dev.ioasid.explorer.Explorer;
import dev.ioasid.explorer.Frontier;
import dev.ioasid.model.Design;
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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Distinct states per second exploring the default explore bounds to the end, as {@code explore}
 * does: the contract's design, all {@value #STATES} states, every one expanded and checked. One
 * invocation is one whole exploration (each iteration of 1 s runs exactly one, ~4 to 10 s), so the
 * score, in states per second, is the run's distinct states over its time. With 1 and 2 threads;
 * their ratio is the parallel speed-up. With the frontier kept as {@code explore} keeps it (AUTO: as
 * objects, on these bounds) and all packed: their ratio is the cost of packing.
 *
 * <p>A truncated run would flatter the figure: the states of its last level are counted but never
 * expanded, and early levels hold smaller states.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExplorerBenchmark {
    static final int STATES = 791_214;

    @Param({"1", "2"})
    int threads;

    @Param({"AUTO", "PACKED"})
    Frontier frontier;

    @Benchmark
    @OperationsPerInvocation(STATES)
    public ExploreResult explore() {
        ExploreResult result = Explorer.explore(new ExploreConfig(ExploreConfig.defaultBounds(), Design.PAGE_TABLE_OWNER,
                20_000_000, threads), line -> { }, frontier);
        if (!(result instanceof ExploreResult.Holds) || result.stats().states() != STATES) {
            throw new IllegalStateException("expected the design to hold in " + STATES + " states, got " + result);
        }
        return result;
    }
}
