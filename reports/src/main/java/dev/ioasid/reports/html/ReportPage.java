package dev.ioasid.reports.html;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one run's HTML report shows, as data: the verdict first, then what was run (facts), how to
 * replay it, the failures' traces, tables, charts, rule coverage and notes. The template
 * ({@code report.mustache}) only lays it out; every decision about content is made here or by the
 * command that fills it, where a test can see it.
 *
 * @param command the command that ran ({@code fuzz}, {@code explore}, ...)
 * @param title   a one-line title for people
 */
public record ReportPage(String command, String title, Verdict verdict, List<Fact> facts, List<String> replay,
                         List<TraceView> traces, List<Block> blocks, List<Table> tables, List<Chart> charts,
                         RuleCoverage coverage, List<String> notes) {

    public ReportPage {
        facts = List.copyOf(facts);
        replay = List.copyOf(replay);
        traces = List.copyOf(traces);
        blocks = List.copyOf(blocks);
        tables = List.copyOf(tables);
        charts = List.copyOf(charts);
        notes = List.copyOf(notes);
    }

    public static Builder of(String command, String title, Verdict verdict) {
        return new Builder(command, title, verdict);
    }

    public boolean hasReplay() {
        return !replay.isEmpty();
    }

    public boolean hasNotes() {
        return !notes.isEmpty();
    }

    /** Every rule the page names (traces, coverage), in order of first mention: the appendix quotes them. */
    public List<String> rulesNamed() {
        Set<String> ids = new LinkedHashSet<>();
        for (TraceView t : traces) {
            t.brokenRules().forEach(r -> ids.add(r.id()));
            t.steps().forEach(s -> s.rules().forEach(r -> ids.add(r.id())));
            if (t.cause() != null) {
                t.cause().rules().forEach(r -> ids.add(r.id()));
            }
        }
        if (coverage != null) {
            coverage.decided().forEach(u -> ids.add(u.rule().id()));
            coverage.never().forEach(r -> ids.add(r.id()));
        }
        return new ArrayList<>(ids);
    }

    /**
     * The verdict in a word and a line.
     *
     * @param kind {@code pass}, {@code fail}, {@code inconclusive} or {@code error}: the page's colour
     */
    public record Verdict(String word, String kind, String line) {
        public static Verdict pass(String word, String line) {
            return new Verdict(word, "pass", line);
        }

        public static Verdict fail(String word, String line) {
            return new Verdict(word, "fail", line);
        }

        public static Verdict inconclusive(String word, String line) {
            return new Verdict(word, "inconclusive", line);
        }
    }

    /** One thing about the run: bounds, seed, profile, design, implementation, time. */
    public record Fact(String name, String value) {
    }

    /** Preformatted text under a heading: a concurrent history drawn as lanes, say. */
    public record Block(String title, String text) {
    }

    /** A chart drawn as inline SVG. */
    public record Chart(String title, String caption, String svg) {
    }

    /** A rule named on the page, linked to its text in the appendix when SPEC.md has it. */
    public record RuleRef(String id, boolean known) {
        public String anchor() {
            return SpecRules.anchor(id);
        }

        public static RuleRef of(String id, SpecRules spec) {
            return new RuleRef(id, spec.rule(id).isPresent());
        }
    }

    /** Which rules decided a step of the run and how often, and which never did. */
    public record RuleCoverage(String caption, List<RuleUse> decided, List<RuleRef> never) {
        public RuleCoverage {
            decided = List.copyOf(decided);
            never = List.copyOf(never);
        }

        public boolean hasNever() {
            return !never.isEmpty();
        }
    }

    /** A rule that decided steps, and a count in words (say, "in 1,204 sequences"). */
    public record RuleUse(RuleRef rule, String count) {
    }

    /** Collects a page; {@link #build()} makes the immutable record. */
    public static final class Builder {
        private final String command;
        private final String title;
        private final Verdict verdict;
        private final List<Fact> facts = new ArrayList<>();
        private final List<String> replay = new ArrayList<>();
        private final List<TraceView> traces = new ArrayList<>();
        private final List<Block> blocks = new ArrayList<>();
        private final List<Table> tables = new ArrayList<>();
        private final List<Chart> charts = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private RuleCoverage coverage;

        private Builder(String command, String title, Verdict verdict) {
            this.command = command;
            this.title = title;
            this.verdict = verdict;
        }

        public Builder fact(String name, Object value) {
            facts.add(new Fact(name, String.valueOf(value)));
            return this;
        }

        public Builder replay(List<String> lines) {
            replay.addAll(lines);
            return this;
        }

        public Builder trace(TraceView trace) {
            traces.add(trace);
            return this;
        }

        public Builder block(String heading, String text) {
            blocks.add(new Block(heading, text));
            return this;
        }

        public Builder table(Table table) {
            tables.add(table);
            return this;
        }

        public Builder chart(Chart chart) {
            charts.add(chart);
            return this;
        }

        public Builder coverage(RuleCoverage ruleCoverage) {
            coverage = ruleCoverage;
            return this;
        }

        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        public ReportPage build() {
            return new ReportPage(command, title, verdict, facts, replay, traces, blocks, tables, charts, coverage, notes);
        }
    }
}
