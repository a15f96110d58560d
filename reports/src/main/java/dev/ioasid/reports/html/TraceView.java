package dev.ioasid.reports.html;

import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceRenderer;
import dev.ioasid.reports.TraceStep;
import dev.ioasid.reports.html.ReportPage.RuleRef;
import java.util.ArrayList;
import java.util.List;

/**
 * A trace as the report shows it: the headline and broken rules, the numbered calls with observed
 * and expected results, the deciding rules and the state changes of each, the failing step and the
 * root cause marked, the fault-ownership sequence diagram, and how to replay it.
 *
 * @param heading  what the trace is (say, "design route-by-attachment: shortest counterexample")
 * @param diagram  the sequence diagram as inline SVG, or empty when no step touches a page request
 */
public record TraceView(String heading, String headline, boolean protocolBroken, List<RuleRef> brokenRules,
                        String implementation, String engine, int length, List<StepView> steps, CauseView cause,
                        String diagram, int lanes, String bounds, String seed, List<String> replay) {

    public TraceView {
        brokenRules = List.copyOf(brokenRules);
        steps = List.copyOf(steps);
        replay = List.copyOf(replay);
    }

    /**
     * One call of the trace.
     *
     * @param mismatch whether what was observed differs from what the model allowed (the failing step
     *                 of a refinement failure); a broken invariant's failing step has none
     */
    public record StepView(int number, String call, String observed, String expected, boolean mismatch,
                           List<RuleRef> rules, List<String> changes, boolean failing, boolean rootCause) {
        public StepView {
            rules = List.copyOf(rules);
            changes = List.copyOf(changes);
        }

        public String rowClass() {
            return failing ? "failing" : rootCause ? "root-cause" : "";
        }
    }

    /** Where the failure began, when that is earlier than where it showed. */
    public record CauseView(int number, String call, List<RuleRef> rules, String shownBy) {
        public CauseView {
            rules = List.copyOf(rules);
        }
    }

    public boolean hasDiagram() {
        return !diagram.isEmpty();
    }

    public boolean hasSeed() {
        return !seed.isEmpty();
    }

    public static TraceView of(String heading, Trace trace, List<String> replay) {
        SpecRules spec = SpecRules.bundled();
        List<StepView> steps = new ArrayList<>();
        for (int i = 0; i < trace.steps().size(); i++) {
            TraceStep step = trace.steps().get(i);
            boolean failing = i == trace.failingStep();
            steps.add(new StepView(i + 1, step.op().toString(), step.shownObserved(), step.expected(),
                    failing && !step.expected().equals(step.shownObserved()), refs(step.rules(), spec), step.changes(),
                    failing, trace.cause() != null && trace.cause().step() == i));
        }
        CauseView cause = trace.cause() == null ? null : new CauseView(trace.cause().step() + 1,
                trace.steps().get(trace.cause().step()).op().toString(), refs(trace.cause().rules(), spec),
                trace.cause().shownBy());
        SequenceDiagram.Story story = SequenceDiagram.story(trace);
        String diagram = story.messages().isEmpty() ? "" : SequenceDiagram.svg(story);
        return new TraceView(heading, trace.headline(), TraceRenderer.protocolBroken(trace), refs(trace.brokenRules(), spec),
                trace.implementation(), trace.engine(), trace.steps().size(), steps, cause, diagram,
                story.messages().isEmpty() ? 0 : story.lanes().size(), TraceRenderer.describe(trace.bounds()),
                trace.seed().isPresent() ? String.valueOf(trace.seed().getAsLong()) : "", replay);
    }

    private static List<RuleRef> refs(List<String> ids, SpecRules spec) {
        return ids.stream().map(id -> RuleRef.of(id, spec)).toList();
    }
}
