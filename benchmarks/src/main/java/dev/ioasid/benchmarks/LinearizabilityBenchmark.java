package dev.ioasid.benchmarks;

import dev.ioasid.properties.concurrent.History;
import dev.ioasid.properties.concurrent.Linearizability;
import dev.ioasid.properties.concurrent.ParallelConfig;
import dev.ioasid.properties.concurrent.ParallelEngine;
import dev.ioasid.reference.ConcurrentReference;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The linearizability checker alone (Wing and Gong with Lowe's memo, the model stepped with its
 * latitude), in milliseconds a history, on histories of the concurrent reference under the
 * controlled scheduler or free-running threads, from the default 2 threads x 4 calls up to 4
 * threads x 15 calls (60 concurrent calls, the most a run takes). Each has the default steered prefix of 6 random calls and
 * more. A linearizable history is the checker's worst case: it must find a whole order, where a
 * refuted one may be given up early; and the reference's are all linearizable.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LinearizabilityBenchmark {
    private static final int HISTORIES = 64;

    /** Threads x calls each. */
    @Param({"2x4", "3x8", "4x15"})
    String shape;

    /** Whose interleaving: the controlled scheduler's, or free-running threads' (whose calls overlap more). */
    @Param({"controlled", "stress"})
    String threads;

    private List<History> histories;
    private int next;

    @Setup(Level.Trial)
    public void drawHistories() {
        String[] parts = shape.split("x");
        ParallelConfig shaped = ParallelConfig.defaults().withShape(6, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        ParallelConfig config = threads.equals("stress") ? shaped.stress() : shaped;
        histories = new ParallelEngine(config, ConcurrentReference.FACTORY).sampleHistories(HISTORIES);
    }

    @Benchmark
    public Linearizability.Verdict check() {
        History history = histories.get(next);
        next = (next + 1) % histories.size();
        Linearizability.Verdict verdict = Linearizability.check(history);
        if (!verdict.linearizable()) {
            throw new IllegalStateException("the concurrent reference's history was refuted: " + verdict);
        }
        return verdict;
    }
}
