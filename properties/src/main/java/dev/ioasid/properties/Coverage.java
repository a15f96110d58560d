package dev.ioasid.properties;

import dev.ioasid.contract.Operation;
import dev.ioasid.model.Rule;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a run exercised: sequences and steps, a table of operation x outcome (ok or which errno)
 * and the SPEC rules that decided at least one accepted step. Mutable; one per run, one thread.
 */
public final class Coverage {
    private final Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
    private final Set<Rule> rules = EnumSet.noneOf(Rule.class);
    private long sequences;
    private long steps;
    private long nestedDma;
    private long staleAccepted;

    void sequence() {
        sequences++;
    }

    void step(StepRecord record) {
        steps++;
        outcomes.computeIfAbsent(operationName(record.op()), k -> new TreeMap<>())
                .merge(record.observed().outcomeName(), 1, Integer::sum);
        record.rules().forEach(rules::add);
        if (record.op() instanceof Operation.Dma) {
            boolean stale = record.rules().contains(Rule.XLT_4);
            nestedDma += stale || record.rules().contains(Rule.XLT_3) ? 1 : 0;
            staleAccepted += stale ? 1 : 0;
        }
    }

    /** DMA through a nested HWPT that the model checked. */
    public long nestedDma() {
        return nestedDma;
    }

    /** Of those, how many returned what only a stage-1 entry not yet invalidated explains (XLT-4). */
    public long staleAccepted() {
        return staleAccepted;
    }

    public long sequences() {
        return sequences;
    }

    public long steps() {
        return steps;
    }

    /** Operation name -> outcome name -> count, both sorted. */
    public Map<String, Map<String, Integer>> outcomes() {
        return outcomes;
    }

    public Set<Rule> rules() {
        return rules;
    }

    private static final java.util.Map<Class<?>, String> CALL_NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The call name of an operation kind, as its {@code toString} starts (computed once per kind). */
    public static String operationName(Operation op) {
        return CALL_NAMES.computeIfAbsent(op.getClass(), k -> {
            String call = op.toString();
            return call.substring(0, call.indexOf('('));
        });
    }

}
