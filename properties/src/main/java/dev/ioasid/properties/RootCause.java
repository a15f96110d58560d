package dev.ioasid.properties;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import io.vavr.collection.List;
import io.vavr.control.Option;

/**
 * Where a failure began, as against where it showed: the step where a run notices a divergence is
 * often a later call that merely looks (a map refused long after the detach that forgot to release
 * the range). After each step before the failing one, every query and probe of the state
 * ({@link Probes}) is replayed; the first step after which one of them disagrees with the model is
 * the cause, with the rules that decided that step. The search is sound as a report, not a proof: a
 * divergence no probe can see is not found, and the failing step is then its own cause.
 */
public final class RootCause {

    /**
     * The search replays every prefix with every probe: quadratic in the trace's length. It is made
     * for shrunk traces; a longer one (shrinking stopped early) is not searched, and the probes tried
     * are bounded.
     */
    static final int LONGEST = 40;
    static final int MAX_REPLAYS = 5_000;

    private RootCause() {
    }

    /**
     * The cause: {@code step} (0-based) of the trace, after which {@code probe} returned
     * {@code observed} where the model expected {@code expected} by {@code probeRules}.
     */
    public record Cause(int step, Operation op, List<Rule> stepRules, Operation probe, Result observed, String expected,
                        List<Rule> probeRules) {
        /** One line for people: the step, its rules, and what showed it. */
        public String describe() {
            return String.format("root cause: step %d, %s [%s]: right after it, %s", step + 1, op,
                    stepRules.map(Rule::id).mkString(", "), shownBy());
        }

        /** What showed it: the probe, what it returned, what the model expected, by which rules. */
        public String shownBy() {
            return String.format("%s returned %s, expected %s [%s]", probe, observed, expected,
                    probeRules.map(Rule::id).mkString(", "));
        }

        /** As a trace records it. */
        public dev.ioasid.reports.Trace.Cause forTrace() {
            return new dev.ioasid.reports.Trace.Cause(step, stepRules.map(Rule::id).toJavaList(), shownBy());
        }
    }

    /**
     * Looks for the cause of the failure of {@code trace} (the operations as applied, the failing one
     * last). None when no probe shows a divergence before the failing step.
     */
    public static Option<Cause> find(Bounds bounds, ImplementationFactory factory, List<StepRecord> trace) {
        if (trace.size() < 2 || trace.size() > LONGEST) {
            return Option.none();
        }
        int replays = 0;
        List<Operation> ops = trace.map(StepRecord::op);
        List<Option<Result>> results = trace.map(r -> Option.of(r.observed()));
        java.util.List<ModelState> states = Probes.statesAlong(bounds, ops, results, trace.size() - 1);
        for (int j = 0; j < states.size(); j++) {
            for (Operation probe : Probes.of(states.get(j))) {
                if (++replays > MAX_REPLAYS) {
                    return Option.none();
                }
                Replay.Replayed replayed = Replay.run(bounds, factory, ops.take(j + 1).append(probe),
                        results.take(j + 1).append(Option.none()));
                if (replayed.failure().isDefined() && replayed.failure().get().step() == j + 1
                        && replayed.failure().get() instanceof Failure.Mismatch m) {
                    return Option.some(new Cause(j, ops.get(j), trace.get(j).rules(), m.op(), m.observed(), m.expected(),
                            m.rules()));
                }
            }
        }
        return Option.none();
    }
}
