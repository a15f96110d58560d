package dev.ioasid.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.model.ModelState;
import dev.ioasid.reference.ReferenceImplementation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run's health warnings: what a run reached too rarely to say much about, and which knob helps. */
class HealthTests {

    @Test
    void theThresholdIsTenSequencesOrATwentiethOfAShortRun() {
        assertThat(Health.threshold(2_000)).isEqualTo(10);
        assertThat(Health.threshold(100)).isEqualTo(5);
        assertThat(Health.threshold(7)).isEqualTo(1);
    }

    /** Without a PRI-capable device no group reaches user space: the warning says so and names the knob. */
    @Test
    void boundsWithoutPriWarnThatNoFaultReachedUserSpace() {
        Bounds noPri = new Bounds(2, 4, 1, List.of(new DeviceSpec(1, 1, 4, false, DriverKind.VFIO_PCI)), 4, 4, 4, 1, 2, 2);
        PropertyResult result = new PropertyEngine(PropertyConfig.defaults().withTries(100).withBounds(noPri),
                ReferenceImplementation.FACTORY).run();

        List<String> warnings = Health.warnings(result.coverage(), result.config().bounds().profile());
        assertThat(warnings).contains("a page request group reached a user fault queue (PRQ-4): in no sequence; "
                + "a PRI-capable device and room for a fault queue in the bounds; longer sequences (--length)");
        assertThat(RunReport.summary(result)).contains("health: " + warnings.size() + " warnings (reached in fewer than 5 of 100 sequences):")
                .contains("    - a page request group reached a user fault queue (PRQ-4): in no sequence");
    }

    /** The default run reaches every situation, rule and success often enough: no warning, and the summary says so. */
    @Test
    void theDefaultRunIsHealthyUnderBothProfiles() {
        for (dev.ioasid.contract.Profile profile : dev.ioasid.contract.Profile.values()) {
            PropertyConfig config = PropertyConfig.defaults().withTries(2_000);
            PropertyResult result = new PropertyEngine(config.withBounds(config.bounds().withProfile(profile)),
                    ReferenceImplementation.FACTORY).run();

            assertThat(Health.warnings(result.coverage(), result.config().bounds().profile())).as("%s", profile).isEmpty();
            for (Situation situation : Situation.values()) {
                if (situation.reachableUnder(profile)) {
                    assertThat(result.coverage().sequencesWith(situation)).as("%s %s", profile, situation)
                            .isGreaterThanOrEqualTo(10);
                } else {
                    assertThat(result.coverage().sequencesWith(situation)).as("%s %s", profile, situation).isZero();
                }
            }
            assertThat(RunReport.summary(result)).contains("health: no warnings");
        }
    }

    /** A short run warns of the rare situations, each with its knob; counts are per sequence, not per step. */
    @Test
    void aShortRunWarnsOfWhatItReachedRarely() {
        PropertyResult result = new PropertyEngine(PropertyConfig.defaults().withTries(40),
                ReferenceImplementation.FACTORY).run();
        Coverage coverage = result.coverage();

        for (Situation situation : Situation.values()) {
            assertThat(coverage.sequencesWith(situation)).isBetween(0, 40);
        }
        for (dev.ioasid.model.Rule rule : dev.ioasid.model.Rule.values()) {
            assertThat(coverage.sequencesWith(rule)).isBetween(0, 40);
        }
        assertThat(coverage.sequencesWithOk("allocIoas")).isBetween(1, 40);
        for (String warning : Health.warnings(coverage, dev.ioasid.contract.Profile.IOASID_2021)) {
            assertThat(warning).containsAnyOf("--length", "--tries", "bounds");
        }
    }

    /** Each situation is recognised on the step that reaches it, from the states around it. */
    @Test
    void situationsAreRecognisedOnTheirSteps() {
        Bounds bounds = Bounds.defaults();
        LockStep run = new LockStep(bounds, ReferenceImplementation.FACTORY);
        List<EnumSet<Situation>> seen = new ArrayList<>();
        List<Operation> ops = List.of(
                new Operation.AllocIoas(1),                                        // 1
                new Operation.MapArea(1, 1, 0, 2, 0, Access.READ_WRITE),
                new Operation.AllocFaultQueue(1),                                  // 2
                new Operation.AllocHwptPaging(1, 1, true, false, 0),               // 3
                new Operation.AllocHwptNested(1, 3, false, 2),                     // 4
                new Operation.WriteStage1(1, 4, 0, 1, Access.READ_WRITE),
                new Operation.Invalidate(1, 4, 0, 1),                              // a first write, made visible
                new Operation.Attach(1, Pasid.NONE, 4),
                new Operation.Dma(1, Pasid.NONE, 0, Access.READ),
                new Operation.WriteStage1(1, 4, 0, 0, Access.READ_WRITE),
                new Operation.Dma(1, Pasid.NONE, 0, Access.READ),                 // the entry is stale
                new Operation.Invalidate(1, 4, 0, 1),                              // which this ends
                new Operation.PageRequest(1, Pasid.NONE, 2, Access.READ, 0, true), // stage 1 fault: the user queue
                new Operation.PageRequest(1, Pasid.NONE, 3, Access.READ, 1, true),
                new Operation.ReadFaults(1, 2),
                new Operation.Respond(1, 2, 1, dev.ioasid.contract.ResponseCode.SUCCESS),
                new Operation.Detach(1, Pasid.NONE));                              // answers group 1
        for (Operation op : ops) {
            ModelState before = run.state();
            LockStep.Outcome outcome = run.apply(op);
            assertThat(outcome.failed()).as("%s: %s", op, outcome.failure()).isFalse();
            seen.add(Situation.reached(outcome.record().get(), before, run.state()));
        }

        assertThat(seen.get(6)).as("no DMA yet").containsExactly(Situation.STALE_INVALIDATED);
        assertThat(seen.get(8)).as("a DMA before any rewrite").isEmpty();
        assertThat(seen.get(10)).containsExactly(Situation.STALE_WINDOW);
        assertThat(seen.get(11)).containsExactly(Situation.STALE_INVALIDATED);
        assertThat(seen.get(12)).containsExactly(Situation.FAULT_TO_USER_QUEUE);
        assertThat(seen.get(15)).containsExactly(Situation.USER_RESPONSE);
        assertThat(seen.get(16)).containsExactly(Situation.ANSWERED_AT_DETACH);
    }
}
