package dev.ioasid.properties;

import dev.ioasid.model.Rule;
import dev.ioasid.model.invariants.Invariants;
import dev.ioasid.reports.SummaryRenderer;
import dev.ioasid.reports.TraceRenderer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A campaign run as N shards ({@code fuzz --shard K/N} on N machines) merged into one result: the
 * shards' counts add up (their sequences are disjoint), the verdict is the worst of theirs, and a
 * shard that did not report makes the campaign incomplete rather than passed.
 */
public final class Campaign {

    private Campaign() {
    }

    /**
     * The merged campaign.
     *
     * @param runs    the shards' records, by shard
     * @param missing the shards of 1..N no record came from
     */
    public record Merged(List<RunRecord> runs, Coverage coverage, List<Integer> missing) {
        public List<RunRecord> failed() {
            return runs.stream().filter(r -> !r.passed()).toList();
        }

        public boolean passed() {
            return failed().isEmpty() && missing.isEmpty();
        }

        public RunRecord first() {
            return runs.get(0);
        }
    }

    /**
     * Merges the shards' records; they must be of one campaign (the same implementation, bounds,
     * seed, length, tries and shard count) and name each shard once.
     *
     * @throws IllegalArgumentException naming the record that does not belong, or the shard named twice
     */
    public static Merged merge(List<RunRecord> records, List<String> names) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no run records to merge");
        }
        RunRecord first = records.get(0);
        TreeMap<Integer, RunRecord> byShard = new TreeMap<>();
        TreeMap<Integer, String> nameOf = new TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            RunRecord r = records.get(i);
            List<String> differences = differences(first, r);
            if (!differences.isEmpty()) {
                throw new IllegalArgumentException(names.get(i) + ": not of the campaign of " + names.get(0) + ": "
                        + String.join(", ", differences) + " differ");
            }
            if (r.shard() < 1 || r.shard() > r.shards()) {
                throw new IllegalArgumentException(names.get(i) + ": shard " + r.shard() + " is not in 1.." + r.shards());
            }
            String earlier = nameOf.putIfAbsent(r.shard(), names.get(i));
            if (earlier != null) {
                throw new IllegalArgumentException(names.get(i) + ": shard " + r.shard() + "/" + r.shards()
                        + " again (also " + earlier + ")");
            }
            byShard.put(r.shard(), r);
        }
        List<Integer> missing = new ArrayList<>();
        for (int shard = 1; shard <= first.shards(); shard++) {
            if (!byShard.containsKey(shard)) {
                missing.add(shard);
            }
        }
        Coverage coverage = new Coverage();
        byShard.values().forEach(coverage::add);
        return new Merged(List.copyOf(byShard.values()), coverage, missing);
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    private static List<String> differences(RunRecord a, RunRecord b) {
        List<String> differ = new ArrayList<>();
        if (!a.implementation().equals(b.implementation())) {
            differ.add("implementation (" + a.implementation() + ", " + b.implementation() + ")");
        }
        if (!a.bounds().equals(b.bounds())) {
            differ.add("bounds");
        }
        if (a.seed() != b.seed()) {
            differ.add("seed (" + a.seed() + ", " + b.seed() + ")");
        }
        if (a.length() != b.length()) {
            differ.add("length (" + a.length() + ", " + b.length() + ")");
        }
        if (a.tries() != b.tries()) {
            differ.add("tries (" + a.tries() + ", " + b.tries() + ")");
        }
        if (a.shards() != b.shards()) {
            differ.add("shard count (" + a.shards() + ", " + b.shards() + ")");
        }
        if (a.feedback() != b.feedback()) {
            differ.add("coverage feedback (" + onOff(a.feedback()) + ", " + onOff(b.feedback()) + ")");
        }
        return differ;
    }

    /** The campaign's summary: the verdict, what each shard concluded, the merged table and health. */
    public static String summary(Merged merged) {
        RunRecord first = merged.first();
        String verdict = !merged.failed().isEmpty()
                ? "FALSIFIED (" + merged.failed().size() + " of " + first.shards() + " shards found a failure)"
                : !merged.missing().isEmpty()
                ? "INCOMPLETE (no record from shard" + (merged.missing().size() == 1 ? " " : "s ")
                        + String.join(", ", merged.missing().stream().map(String::valueOf).toList())
                        + " of " + first.shards() + "; nothing failed in the others)"
                : "PASSED";
        Coverage c = merged.coverage();
        List<String> facts = new ArrayList<>(List.of(
                "implementation: " + first.implementation(),
                "bounds: " + TraceRenderer.describe(first.bounds()),
                String.format("seed: %d, shards: %d of %d, sequences: %,d (%,d a shard), length: %d, steps: %,d",
                        first.seed(), merged.runs().size(), first.shards(), c.sequences(), first.tries(),
                        first.length(), c.steps()),
                "invariants checked on every new state: " + Invariants.ALL.size(),
                "stale stage-1 translations observed and accepted (XLT-4): " + c.staleAccepted() + " of "
                        + c.nestedDma() + " DMA through nested tables"));
        merged.runs().stream().sorted(Comparator.comparingInt(RunRecord::shard)).forEach(r -> facts.add(
                String.format("shard %d/%d: %s, %,d sequences%s", r.shard(), r.shards(), r.passed() ? "passed" : "FAILED",
                        r.sequences(), r.trace() == null ? "" : ", trace " + r.trace())));
        return SummaryRenderer.text("property campaign against the model: " + verdict, facts, c.outcomes(),
                c.rules().stream().map(Rule::id).toList(),
                java.util.Arrays.stream(Rule.values()).map(Rule::id).toList()) + Health.text(c, first.bounds().profile());
    }
}
