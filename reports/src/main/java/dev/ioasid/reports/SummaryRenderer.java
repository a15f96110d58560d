package dev.ioasid.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Renders what a run exercised: counts, the operation x outcome table, and the rules exercised. */
public final class SummaryRenderer {

    private SummaryRenderer() {
    }

    /**
     * @param outcomes      operation name -> outcome name (ok or errno) -> count
     * @param rulesExercised the rule IDs that decided at least one step
     * @param allRules       every rule ID, in SPEC order
     */
    public static String text(String title, List<String> facts, Map<String, Map<String, Integer>> outcomes,
                              List<String> rulesExercised, List<String> allRules) {
        StringBuilder out = new StringBuilder(title).append('\n');
        for (String fact : facts) {
            out.append("  ").append(fact).append('\n');
        }
        TreeSet<String> columns = new TreeSet<>(Comparator.comparing((String c) -> !c.equals("ok"))
                .thenComparing(Comparator.naturalOrder()));
        outcomes.values().forEach(row -> columns.addAll(row.keySet()));
        int nameWidth = Math.max(9, outcomes.keySet().stream().mapToInt(String::length).max().orElse(0));
        out.append(String.format("  %-" + nameWidth + "s", "operation"));
        for (String column : columns) {
            out.append(String.format(" %10s", column));
        }
        out.append('\n');
        for (Map.Entry<String, Map<String, Integer>> row : outcomes.entrySet()) {
            out.append(String.format("  %-" + nameWidth + "s", row.getKey()));
            for (String column : columns) {
                Integer count = row.getValue().get(column);
                out.append(String.format(" %10s", count == null ? "-" : count.toString()));
            }
            out.append('\n');
        }
        List<String> missed = new ArrayList<>(allRules);
        missed.removeAll(rulesExercised);
        out.append(String.format("  rules exercised: %d of %d", rulesExercised.size(), allRules.size()));
        out.append(missed.isEmpty() ? "\n" : " (not exercised: " + String.join(", ", missed) + ")\n");
        return out.toString();
    }
}
