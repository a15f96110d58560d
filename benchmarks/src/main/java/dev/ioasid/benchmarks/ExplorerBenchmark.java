package dev.ioasid.benchmarks;

import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.explorer.ExploreResult;
import dev.ioasid.explorer.Explorer;
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
 * Distinct states explored per second on the default explore bounds: the contract's design to depth
 * 11, which is {@value #STATES} states (the budget is checked once a level is admitted, so a budget
 * of 150,000 stops right there; the run checks it). With 1 and 2 threads; scores are states per
 * second, and their ratio is the parallel speed-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 4, time = 5)
@Fork(1)
public class ExplorerBenchmark {
    static final int STATES = 220_810;

    @Param({"1", "2"})
    int threads;

    @Benchmark
    @OperationsPerInvocation(STATES)
    public ExploreResult explore() {
        ExploreResult result = Explorer.explore(new ExploreConfig(ExploreConfig.defaultBounds(), Design.PAGE_TABLE_OWNER, 150_000, threads),
                line -> { });
        if (result.stats().states() != STATES) {
            throw new IllegalStateException("explored " + result.stats().states() + " states, not " + STATES);
        }
        return result;
    }
}
