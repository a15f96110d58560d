package dev.ioasid.reports;

import dev.ioasid.contract.Bounds;
import java.util.List;
import java.util.OptionalLong;

/**
 * A counterexample, whichever engine found it: the bounds, the implementation and seed, the steps
 * (each call with observed and expected result and the rules that decided), the index of the step
 * that fails and a headline naming the broken rule. Data only; renderers and the JSON trace file
 * format are separate.
 *
 * @param engine      which engine found it: {@code fuzz}, {@code explore}, {@code conform}
 * @param failingStep 0-based index of the failing step in {@code steps}
 * @param brokenRules the SPEC rule IDs the failure is about
 * @param reach       the replay arguments that reach the implementation, or null (see {@link #withReach})
 * @param cause       where the failure began, if that is an earlier step than where it showed, or null
 */
public record Trace(String engine, String implementation, Bounds bounds, OptionalLong seed, String headline,
                    List<String> brokenRules, int failingStep, List<TraceStep> steps, String reach, Cause cause) {

    /** A trace of an implementation the replay command reaches by its name alone. */
    public Trace(String engine, String implementation, Bounds bounds, OptionalLong seed, String headline,
                 List<String> brokenRules, int failingStep, List<TraceStep> steps) {
        this(engine, implementation, bounds, seed, headline, brokenRules, failingStep, steps, null, null);
    }

    /**
     * The root cause of a failure: the step (0-based) after which the implementation's observable
     * state first differed from the model's, the rules that decided that step, and what showed it
     * (a query or a read asked right after it on a replay, with what it returned and what the model
     * expected).
     */
    public record Cause(int step, List<String> rules, String shownBy) {
        public Cause {
            rules = List.copyOf(rules);
            if (shownBy == null || shownBy.isBlank()) {
                throw new IllegalArgumentException("a root cause says what showed it");
            }
        }
    }

    /** The same trace with its root cause. */
    public Trace withCause(Cause found) {
        return new Trace(engine, implementation, bounds, seed, headline, brokenRules, failingStep, steps, reach, found);
    }

    /**
     * The same trace, recording the replay arguments that reach its implementation (say,
     * {@code --impl-cmd 'python3 impl.py'}): replay shows them when told nothing, and never runs them
     * by itself, since a trace file may come from anywhere.
     */
    public Trace withReach(String arguments) {
        return new Trace(engine, implementation, bounds, seed, headline, brokenRules, failingStep, steps, arguments, cause);
    }

    public Trace {
        brokenRules = List.copyOf(brokenRules);
        steps = List.copyOf(steps);
        if (failingStep < 0 || failingStep >= steps.size()) {
            throw new IllegalArgumentException("failingStep " + failingStep + " is not a step of " + steps.size());
        }
        if (cause != null && (cause.step() < 0 || cause.step() >= failingStep)) {
            throw new IllegalArgumentException("root cause at step " + cause.step() + " is not before the failing step "
                    + failingStep);
        }
    }
}
