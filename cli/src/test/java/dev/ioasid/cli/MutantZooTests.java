package dev.ioasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.model.Design;
import dev.ioasid.mutants.Mutants;
import org.junit.jupiter.api.Test;

/** The kill matrix's engines, each on a mutant it kills and one it does not (the full zoo is the mutants command). */
class MutantZooTests {

    @Test
    void conformanceKillsAShallowMutantWithAShortestTrace() {
        MutantZoo.Kill kill = MutantZoo.conformance(Mutants.byName("replace-not-atomic").orElseThrow(), 1500);

        assertThat(kill.killed()).isTrue();
        assertThat(kill.steps()).isEqualTo(4);
        assertThat(kill.cell()).startsWith("**4** steps");
    }

    @Test
    void conformanceWithinASmallBudgetMissesADeepOne() {
        MutantZoo.Kill kill = MutantZoo.conformance(Mutants.byName("invalidate-not-flushed").orElseThrow(), 50);

        assertThat(kill.killed()).isFalse();
        assertThat(kill.cell()).isEqualTo("- (50 states a bounds)");
    }

    /**
     * What the conformance rework reaches, each on the default bounds and budget it is killed on: a
     * cache a DMA filled before an unmap (reads by DMA asked after every transition), a PASID two
     * devices hold (the second bounds' two PASID devices), an area cut by an unmap (two IOVA pages),
     * and a stage-2 fault eight calls deep. Each with its shortest trace.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} on bounds {1}")
    @org.junit.jupiter.params.provider.CsvSource({"iotlb-kept-after-unmap, 0, 6", "free-pending-reattached, 1, 6",
            "partial-unmap-allowed, 2, 3", "stage2-to-user-queue, 0, 8"})
    void conformanceOnItsDefaultBoundsKillsDeeperMutants(String name, int bounds, int shortest) {
        var mutant = Mutants.byName(name).orElseThrow();
        var target = MutantZoo.CONFORMANCE_BOUNDS.get(bounds);

        var verdict = dev.ioasid.explorer.Conformance.check(new dev.ioasid.explorer.ExploreConfig(
                target.bounds().withProfile(mutant.profile()), Design.PAGE_TABLE_OWNER, target.maxStates(), 1, 2), mutant);

        assertThat(verdict).isInstanceOf(dev.ioasid.explorer.Conformance.Mismatch.class);
        assertThat(((dev.ioasid.explorer.Conformance.Mismatch) verdict).trace().steps()).hasSize(shortest);
    }

    @Test
    void theExplorerKillsTheDesignVariantsAndNotTheContractsDesign() {
        assertThat(MutantZoo.explorer(Design.DRIVER_REGISTERS).steps()).isEqualTo(5);
        assertThat(MutantZoo.designRows()).hasSize(Design.values().length - 1);
    }
}
