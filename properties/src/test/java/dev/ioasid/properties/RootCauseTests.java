package dev.ioasid.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.Profile;
import dev.ioasid.model.Rule;
import dev.ioasid.mutants.Mutants;
import io.vavr.collection.List;
import io.vavr.control.Option;
import org.junit.jupiter.api.Test;

/** The step where a failure began, found by probing the state after every earlier step. */
class RootCauseTests {

    /**
     * auto-domain-kept: the detach leaves the automatic HWPT behind; four calls later a query of the
     * IOAS shows it. The cause is the detach, not the query.
     */
    @Test
    void theCauseIsTheFirstStepAfterWhichAProbeDisagrees() {
        Bounds bounds = Bounds.defaults().withProfile(Profile.IOMMUFD);
        var factory = Mutants.byName("auto-domain-kept").orElseThrow();
        List<Operation> ops = List.of(
                new Operation.AllocIoas(2),
                new Operation.Attach(3, Pasid.NONE, 1),
                new Operation.Detach(3, Pasid.NONE),
                new Operation.AllocIoas(1),
                new Operation.MapArea(1, 1, 0, 1, 0, Access.READ),
                new Operation.QueryAreas(1, 1),
                new Operation.QueryObject(2, 1));
        Replay.Replayed replayed = Replay.run(bounds, factory, ops, List.empty());
        assertThat(replayed.failure().isDefined()).isTrue();
        assertThat(replayed.failure().get().step()).isEqualTo(6);

        Option<RootCause.Cause> cause = RootCause.find(bounds, factory, replayed.records());

        assertThat(cause.isDefined()).isTrue();
        assertThat(cause.get().step()).isEqualTo(2);
        assertThat(cause.get().op()).isEqualTo(new Operation.Detach(3, Pasid.NONE));
        assertThat(cause.get().stepRules()).contains(Rule.ATT_10);
        assertThat(cause.get().describe()).startsWith("root cause: step 3, detach(dev=3, pasid=none) [ATT-10");
    }

    /** quota-off-by-one shows at the very call that goes wrong: nothing earlier disagrees. */
    @Test
    void aFailureThatShowsWhereItBeginsHasNoEarlierCause() {
        var factory = Mutants.byName("quota-off-by-one").orElseThrow();
        List<Operation> ops = List.of(new Operation.CreateSet(1, 1), new Operation.AllocPasid(1, 1, 1),
                new Operation.AllocPasid(1, 1, 2));
        Replay.Replayed replayed = Replay.run(Bounds.defaults(), factory, ops, List.empty());
        assertThat(replayed.failure().get().step()).isEqualTo(2);

        assertThat(RootCause.find(Bounds.defaults(), factory, replayed.records()).isEmpty()).isTrue();
    }

    /** A property run reports the cause beside the symptom. */
    @Test
    void aPropertyRunPrintsTheCause() {
        PropertyConfig config = PropertyConfig.defaults();
        PropertyResult result = new PropertyEngine(config.withBounds(config.bounds().withProfile(Profile.IOMMUFD)),
                Mutants.byName("auto-domain-kept").orElseThrow()).run();

        PropertyResult.Falsified falsified = (PropertyResult.Falsified) result;
        assertThat(falsified.cause().isDefined()).isTrue();
        assertThat(RunReport.failureText(falsified, java.util.List.of("replay"))).contains("root cause: step ")
                .contains("detach(");
        // The trace file and its Markdown keep it: the step, its rules and what showed it.
        dev.ioasid.reports.Trace trace = RunReport.trace(falsified);
        assertThat(trace.cause()).isNotNull();
        assertThat(trace.steps().get(trace.cause().step()).op()).isInstanceOf(Operation.Detach.class);
        assertThat(trace.cause().step()).isEqualTo(falsified.cause().get().step());
        assertThat(trace.cause().shownBy()).isEqualTo(falsified.cause().get().shownBy());
        assertThat(dev.ioasid.reports.TraceFile.toJson(trace)).contains("\"rootCause\"");
        assertThat(dev.ioasid.reports.TraceRenderer.markdown(trace, java.util.List.of())).contains("(root cause)");
    }
}
