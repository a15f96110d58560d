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
import dev.ioasid.properties.concurrent.ParallelConfig;
import dev.ioasid.properties.concurrent.ParallelEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * The kill matrix: every planted bug against each engine that can catch it. Implementation mutants
 * face the property run (random sequences, shrunk) and conformance (every transition of the first
 * reachable states, breadth first, so its traces are shortest within its bounds); the model's
 * design variants, mutants of the specification rather than of an implementation, face the explorer.
 */
final class MutantZoo {
    /** Conformance runs on conform's default bounds, one after the other (ExploreConfig.conformanceBounds). */
    static final List<ExploreConfig.Named> CONFORMANCE_BOUNDS = ExploreConfig.conformanceBounds();

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

        /**
         * The cell of the HTML kill matrix: green when killed as wanted ({@code good}: say, shrunk to the
         * shortest), red when not, amber for a survival the zoo does not count against the engine
         * ({@code required} false: conformance, whose budget is bounded).
         */
        dev.ioasid.reports.html.Table.Cell htmlCell(boolean good, boolean required) {
            String css = killed ? (good ? "good" : "bad") : required ? "bad" : "neutral";
            return new dev.ioasid.reports.html.Table.Cell(killed ? String.format("killed: %d steps, %.2f s", steps, seconds)
                    : "survived (" + detail + ")", css, "");
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

    /**
     * A planted race: a parallel run of the default shape,
     * up to 20,000 histories; the steps are the calls of the smallest failing history.
     */
    static Kill parallelRun(Mutant race, long seed) {
        ParallelConfig config = ParallelConfig.defaults().withSeed(seed).withTries(20_000);
        ParallelEngine.Outcome outcome = new ParallelEngine(config, race).run();
        if (outcome instanceof ParallelEngine.Failed f) {
            return new Kill(true, f.shrunk().size(), f.seconds(), f.histories() + " histories");
        }
        return Kill.survived(outcome.seconds(), outcome.histories() + " histories");
    }

    /** @param maxStates states a bounds, or 0 for conform's default budget of each */
    static Kill conformance(Mutant mutant, long maxStates) {
        double seconds = 0;
        for (ExploreConfig.Named bounds : CONFORMANCE_BOUNDS) {
            long budget = maxStates > 0 ? maxStates : bounds.maxStates();
            Conformance.Verdict verdict = Conformance.check(new ExploreConfig(bounds.bounds().withProfile(mutant.profile()),
                    Design.PAGE_TABLE_OWNER, budget, 1, 2), mutant);
            seconds += verdict.seconds();
            if (verdict instanceof Conformance.Mismatch m) {
                return new Kill(true, m.trace().steps().size(), seconds, verdict.states() + " states on " + bounds.name());
            }
        }
        return Kill.survived(seconds, maxStates > 0 ? maxStates + " states a bounds" : "conform's default budgets");
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
