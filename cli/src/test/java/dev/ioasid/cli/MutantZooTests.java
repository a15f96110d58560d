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

    @Test
    void theExplorerKillsTheDesignVariantsAndNotTheContractsDesign() {
        assertThat(MutantZoo.explorer(Design.DRIVER_REGISTERS).steps()).isEqualTo(5);
        assertThat(MutantZoo.designRows()).hasSize(Design.values().length - 1);
    }
}
