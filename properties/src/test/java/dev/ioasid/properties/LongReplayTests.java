package dev.ioasid.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.reference.ReferenceImplementation;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Replay on long traces. There is no time limit here (machines are noisy), but a replay quadratic in
 * the trace's length would take minutes: appending to and indexing Vavr lists step by step took 2 s
 * for 10,000 steps and some 200 s for 100,000, where a linear replay takes about 1 s.
 */
class LongReplayTests {
    private static final Bounds BOUNDS = Bounds.defaults();
    private static final int STEPS = 100_000;

    /** A sequence the property generator draws, following the reference implementation's answers. */
    static List<Operation> drawn(int steps, long seed) {
        Generator generator = new Generator(BOUNDS);
        generator.startSequence();
        SplittableRandom random = new SplittableRandom(seed);
        LockStep lockStep = new LockStep(BOUNDS, ReferenceImplementation.FACTORY);
        ArrayList<Operation> ops = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            Operation op = generator.next(lockStep.state(), random);
            ops.add(op);
            if (lockStep.apply(op).failed()) {
                throw new IllegalStateException("the reference implementation fails at step " + i + ": " + op);
            }
        }
        return List.ofAll(ops);
    }

    @Test
    void replaysAHundredThousandStepsAndChecksEveryOne() {
        List<Operation> ops = drawn(STEPS, PropertyConfig.DEFAULT_SEED);

        Replay.Replayed replayed = Replay.run(BOUNDS, ReferenceImplementation.FACTORY, ops, List.empty());

        assertThat(replayed.failure().isEmpty()).isTrue();
        assertThat(replayed.records().size()).isEqualTo(STEPS);
        assertThat(replayed.observed().size()).isEqualTo(STEPS);
        assertThat(replayed.observed().forAll(Option::isDefined)).isTrue();
        assertThat(replayed.applied()).isEqualTo(ops);
    }

    @Test
    void earlierResultsShorterThanTheSequenceAreFollowedAsFarAsTheyGo() {
        List<Operation> ops = drawn(300, 7);
        Replay.Replayed first = Replay.run(BOUNDS, ReferenceImplementation.FACTORY, ops, List.empty());
        List<Option<Result>> half = first.observed().take(150);

        Replay.Replayed again = Replay.run(BOUNDS, ReferenceImplementation.FACTORY, ops, half);

        assertThat(again.failure().isEmpty()).isTrue();
        assertThat(again.applied()).isEqualTo(ops);
        assertThat(again.observed()).isEqualTo(first.observed());
    }

    @Test
    void stopsAtTheFirstFailureWithWhatRanSoFar() {
        var factory = dev.ioasid.mutants.Mutants.byName("cross-vm-lookup").orElseThrow();
        List<Operation> ops = List.of(new Operation.AllocIoas(1), new Operation.QueryObject(2, 1),
                new Operation.AllocIoas(1));

        Replay.Replayed replayed = Replay.run(BOUNDS, factory, ops, List.empty());

        assertThat(replayed.failure().isDefined()).isTrue();
        assertThat(replayed.applied()).isEqualTo(ops.take(2));
        assertThat(replayed.records().size()).isEqualTo(2);
    }
}
