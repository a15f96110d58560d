package dev.ioasid.properties;

import dev.ioasid.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's health warnings, as Hypothesis warns of a test that rarely reaches what it should: a rule
 * that decided a step in only a few sequences, a call that rarely succeeded, a known-rare situation
 * ({@link Situation}) reached by few sequences or none. Each warning says which knob would help. A
 * passed run with warnings is still a pass: the warnings say what the pass covers thinly.
 */
public final class Health {
    /** Warn below this many sequences (fewer for short runs: a twentieth of the sequences, at least 1). */
    static final int THRESHOLD = 10;

    private Health() {
    }

    /** Below how many sequences a run of this many sequences warns. */
    public static int threshold(long sequences) {
        return (int) Math.max(1, Math.min(THRESHOLD, sequences / 20));
    }

    /** The warnings, one line each; empty when the run reached everything often enough. */
    public static List<String> warnings(Coverage coverage, dev.ioasid.contract.Profile profile) {
        List<String> warnings = new ArrayList<>();
        long sequences = coverage.sequences();
        if (sequences == 0) {
            return warnings;
        }
        int below = threshold(sequences);
        for (Situation situation : Situation.values()) {
            if (!situation.reachableUnder(profile)) {
                continue;
            }
            int reached = coverage.sequencesWith(situation);
            if (reached < below) {
                warnings.add(situation.description() + ": " + inSequences(reached, sequences) + "; "
                        + situation.knob());
            }
        }
        for (Rule rule : Rule.values()) {
            int reached = coverage.sequencesWith(rule);
            // Rules never exercised are listed with the outcome table already; a few is the warning.
            if (reached > 0 && reached < below) {
                warnings.add("rule " + rule.id() + " decided a step " + inSequences(reached, sequences) + "; "
                        + knobFor(rule));
            }
        }
        for (Map.Entry<String, Map<String, Integer>> row : coverage.outcomes().entrySet()) {
            String call = row.getKey();
            int ok = coverage.sequencesWithOk(call);
            boolean inProfile = row.getValue().keySet().stream().anyMatch(outcome -> !outcome.equals("ENOTTY"));
            if (inProfile && ok < below) {
                warnings.add(call + " succeeded " + inSequences(ok, sequences) + " (" + describe(row.getValue())
                        + "); longer sequences (--length) build more of what it needs, or the bounds lack room for it");
            }
        }
        return warnings;
    }

    /** The warnings as the summary prints them, or a line saying there are none. */
    public static String text(Coverage coverage, dev.ioasid.contract.Profile profile) {
        List<String> warnings = warnings(coverage, profile);
        if (coverage.sequences() == 0) {
            return "";
        }
        int below = threshold(coverage.sequences());
        if (warnings.isEmpty()) {
            return "  health: no warnings (every rare situation, every rule exercised and every call's success reached in at"
                    + " least " + below + " sequences)\n";
        }
        StringBuilder out = new StringBuilder(String.format("  health: %d warning%s (reached in fewer than %d of %,d sequences):%n",
                warnings.size(), warnings.size() == 1 ? "" : "s", below, coverage.sequences()));
        for (String warning : warnings) {
            out.append("    - ").append(warning).append('\n');
        }
        return out.toString();
    }

    private static String inSequences(int reached, long sequences) {
        return reached == 0 ? "in no sequence" : String.format("in %d of %,d sequences", reached, sequences);
    }

    private static String describe(Map<String, Integer> outcomes) {
        StringBuilder text = new StringBuilder();
        outcomes.forEach((outcome, count) -> text.append(text.length() == 0 ? "" : ", ").append(outcome).append(' ')
                .append(count));
        return text.toString();
    }

    /** What reaches a rule's steps more often, by the part of the contract it belongs to. */
    static String knobFor(Rule rule) {
        String id = rule.id();
        if (id.startsWith("PRQ-") || id.startsWith("FLT-")) {
            return "a PRI-capable device, fault queues and more group indices (\"groups\") in the bounds; --length";
        }
        if (id.startsWith("SVA-")) {
            return "mm's (\"mms\") and their pages in the bounds";
        }
        if (id.startsWith("VIOMMU-")) {
            return "a device with \"viommu\": true in the bounds (iommufd)";
        }
        if (id.startsWith("DIRTY-")) {
            return "a device with \"dirtyTracking\": true in the bounds (iommufd)";
        }
        if (id.startsWith("RESV-")) {
            return "a device with \"reserved\" IOVA ranges in the bounds (iommufd)";
        }
        if (id.startsWith("SET-") || id.startsWith("PASID-")) {
            return "more PASIDs (\"capacity\", \"pasidMax\") in the bounds; more sequences (--tries)";
        }
        return "more sequences (--tries) or longer ones (--length)";
    }
}
