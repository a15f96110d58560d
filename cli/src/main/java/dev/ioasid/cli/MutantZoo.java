package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.explorer.Conformance;
import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.explorer.ExploreResult;
import dev.ioasid.explorer.Explorer;
import dev.ioasid.model.Design;
import dev.ioasid.mutants.Mutant;
import dev.ioasid.properties.PropertyConfig;
import dev.ioasid.properties.PropertyEngine;
import dev.ioasid.properties.PropertyResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The kill matrix: every planted bug against each engine that can catch it. Implementation mutants
 * face the property run (random sequences, shrunk) and conformance (every transition of the first
 * reachable states, breadth first, so its traces are shortest within its bounds); the model's
 * design variants, mutants of the specification rather than of an implementation, face the explorer.
 */
final class MutantZoo {
    /** Conformance runs on two small bounds: the explorer's (nesting, fault queue) and one with PASIDs, two VMs and an mm. */
    static final List<Bounds> CONFORMANCE_BOUNDS = List.of(ExploreConfig.defaultBounds(),
            new Bounds(2, 2, 2, List.of(new DeviceSpec(1, 1, 2, true, DriverKind.VFIO_PCI, false, true),
                    new DeviceSpec(2, 2, 0, false, DriverKind.MDEV)), 1, 1, 2, 1, 1, 1));

    private MutantZoo() {
    }

    /** What one engine did with one mutant: killed or not, the trace length, the seconds it took. */
    record Kill(boolean killed, int steps, double seconds, String detail) {
        static Kill survived(double seconds, String detail) {
            return new Kill(false, 0, seconds, detail);
        }

        String cell() {
            return killed ? String.format("**%d** steps, %.2f s", steps, seconds) : "- (" + detail + ")";
        }
    }

    static Kill propertyRun(Mutant mutant, PropertyConfig config) {
        PropertyResult result = new PropertyEngine(config, mutant).run();
        if (result instanceof PropertyResult.Falsified f) {
            return new Kill(true, f.shrunk().ops().size(), f.secondsToFind() + f.secondsToShrink(),
                    (f.sequence() + 1) + " sequences");
        }
        return Kill.survived(((PropertyResult.Passed) result).seconds(), config.tries() + " sequences");
    }

    static Kill conformance(Mutant mutant, long maxStates) {
        double seconds = 0;
        for (Bounds bounds : CONFORMANCE_BOUNDS) {
            Conformance.Verdict verdict = Conformance.check(
                    new ExploreConfig(bounds.withProfile(mutant.profile()), Design.PAGE_TABLE_OWNER, maxStates, 1, 2), mutant);
            seconds += verdict.seconds();
            if (verdict instanceof Conformance.Mismatch m) {
                return new Kill(true, m.trace().steps().size(), seconds, verdict.states() + " states");
            }
        }
        return Kill.survived(seconds, maxStates + " states a bounds");
    }

    static Kill explorer(Design design) {
        ExploreResult result = Explorer.explore(ExploreConfig.defaults().with(design), line -> { });
        if (result instanceof ExploreResult.Violated v) {
            return new Kill(true, v.trace().size(), result.stats().seconds(), String.join(", ",
                    v.invariant().rules().map(r -> r.id()).toJavaList()));
        }
        return Kill.survived(result.stats().seconds(), result.stats().states() + " states");
    }

    /** The design variants, as rows of the zoo: the mistake each makes in routing faults. */
    static List<String[]> designRows() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"design:route-by-attachment", "the attachment's queue gets every group, stage 2 included"});
        rows.add(new String[] {"design:driver-registers", "only drivers that registered a forwarder (vfio-pci) deliver faults"});
        rows.add(new String[] {"design:both-register", "the driver's forwarder and the page table's handler both deliver"});
        return rows;
    }
}
