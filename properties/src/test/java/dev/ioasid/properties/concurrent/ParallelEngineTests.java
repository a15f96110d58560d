package dev.ioasid.properties.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.mutants.Mutant;
import dev.ioasid.mutants.RaceMutants;
import dev.ioasid.reference.ConcurrentReference;
import dev.ioasid.reference.ReferenceImplementation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Parallel runs under the controlled scheduler: the concurrent reference passes, every planted race
 * is found and shrunk to its smallest history, and a run is a function of its seed.
 */
class ParallelEngineTests {

    @Test
    void theConcurrentReferencePassesAndEveryHistoryIsLinearizable() {
        ParallelEngine.Outcome outcome = new ParallelEngine(ParallelConfig.defaults().withTries(400), ConcurrentReference.FACTORY).run();
        assertThat(outcome).isInstanceOf(ParallelEngine.Passed.class);
        assertThat(outcome.histories()).isEqualTo(400);
    }

    @Test
    void threeThreadsOfEightCallsAreChecked() {
        ParallelConfig big = ParallelConfig.defaults().withShape(6, 3, 8).withTries(40);
        ParallelEngine.Outcome outcome = new ParallelEngine(big, ConcurrentReference.FACTORY).run();
        assertThat(outcome).isInstanceOf(ParallelEngine.Passed.class);
    }

    @Test
    void freeRunningThreadsOnTheConcurrentReferenceArePassedToo() {
        ParallelEngine.Outcome outcome = new ParallelEngine(ParallelConfig.defaults().withTries(200).stress(),
                ConcurrentReference.FACTORY).run();
        assertThat(outcome).isInstanceOf(ParallelEngine.Passed.class);
    }

    @Test
    void underTheControlledSchedulerTheSequentialReferenceIsLinearizableToo() {
        // One thread runs at a time and it marks no points inside a call: each call is atomic.
        assertThat(new ParallelEngine(ParallelConfig.defaults().withTries(200), ReferenceImplementation.FACTORY).run())
                .isInstanceOf(ParallelEngine.Passed.class);
    }

    static java.util.List<Mutant> races() {
        return RaceMutants.ALL;
    }

    @ParameterizedTest
    @MethodSource("races")
    void everyPlantedRaceIsFoundAndShrunkToASmallHistory(Mutant race) {
        ParallelConfig config = ParallelConfig.defaults().withTries(20_000);
        ParallelEngine.Outcome outcome = new ParallelEngine(config, race).run();
        assertThat(outcome).as(race.name()).isInstanceOf(ParallelEngine.Failed.class);
        ParallelEngine.Failed failed = (ParallelEngine.Failed) outcome;
        // Shrinking takes calls out and simplifies the rest; a race first met on other objects than its
        // shortest history's may keep one more (destroy-check-then-free: a nest parent destroyed while a
        // nested HWPT takes it, 4 calls).
        assertThat(failed.shrunk().size()).as("calls of %s's smallest failing history:%n%s", race.name(),
                failed.history().lanes()).isLessThanOrEqualTo(race.shortestTrace() + 1);
        assertThat(failed.shrunk().threads()).hasSize(2);
        assertThat(failed.why()).startsWith("no order of the calls is one the model accepts");
    }

    @Test
    void aRunIsAFunctionOfItsSeed() {
        Mutant race = RaceMutants.ALL.get(0);
        ParallelEngine.Failed first = (ParallelEngine.Failed) new ParallelEngine(ParallelConfig.defaults(), race).run();
        ParallelEngine.Failed again = (ParallelEngine.Failed) new ParallelEngine(ParallelConfig.defaults(), race).run();
        assertThat(again.tryIndex()).isEqualTo(first.tryIndex());
        assertThat(again.shrunk()).isEqualTo(first.shrunk());
        assertThat(again.history()).isEqualTo(first.history());
    }
}
