package dev.ioasid.tck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioasid.contract.Bounds;
import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.model.Design;
import dev.ioasid.mutants.Mutants;
import dev.ioasid.properties.PropertyConfig;
import org.junit.jupiter.api.Test;

/** The kit's checks fail, with a replayable trace, on implementations that break the contract. */
class TckCatchesBugsTests {

    @Test
    void thePropertyRunFailsOnAPlantedBug() {
        assertThatThrownBy(() -> Checks.propertyRun(Mutants.byName("quota-off-by-one").orElseThrow(),
                new PropertyConfig(Bounds.defaults(), 1_000, 150, PropertyConfig.DEFAULT_SEED, 50_000)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("PASID-2").hasMessageContaining("replay: java -jar");
    }

    @Test
    void conformanceFailsOnAPlantedBug() {
        assertThatThrownBy(() -> Checks.conformance(Mutants.byName("partial-group-delivered").orElseThrow(),
                new ExploreConfig(ExploreConfig.defaultBounds(), Design.PAGE_TABLE_OWNER, 300, 1, 2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("minimal trace (2 steps)").hasMessageContaining("replay: java -jar");
    }

    @Test
    void theParallelCheckPassesTheConcurrentReferenceAndFailsOnAPlantedRace() {
        Checks.linearizability(dev.ioasid.reference.ConcurrentReference.FACTORY,
                dev.ioasid.properties.concurrent.ParallelConfig.defaults().withTries(300));
        assertThatThrownBy(() -> Checks.linearizability(Mutants.byName("attach-check-then-act").orElseThrow(),
                dev.ioasid.properties.concurrent.ParallelConfig.defaults()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("NOT LINEARIZABLE: attach-check-then-act").hasMessageContaining("shrunk to 3 calls")
                .hasMessageContaining("expected EBUSY [ATT-1]").hasMessageContaining("fuzz --parallel --impl attach-check-then-act");
    }

    @Test
    void theServiceLoaderKitFailsWhenNothingIsRegistered() {
        assertThatThrownBy(() -> new ServiceLoaderTck().everyRegisteredImplementation())
                .isInstanceOf(AssertionError.class).hasMessageContaining("META-INF/services");
    }
}
