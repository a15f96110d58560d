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
    // In how many sequences each rule, situation and successful call was reached (the health
    // warnings), counted when first reached in a sequence.
    private final Map<Rule, Integer> ruleSequences = new java.util.EnumMap<>(Rule.class);
    private final Map<Situation, Integer> situationSequences = new java.util.EnumMap<>(Situation.class);
    private final Map<String, Integer> okSequences = new TreeMap<>();
    private final Set<Rule> rulesThisSequence = EnumSet.noneOf(Rule.class);
    private final Set<Situation> situationsThisSequence = EnumSet.noneOf(Situation.class);
    private final Set<String> okThisSequence = new java.util.HashSet<>();

    void sequence() {
        sequences++;
        rulesThisSequence.clear();
        situationsThisSequence.clear();
        okThisSequence.clear();
    }

    /** A checked step, with the model's states around it (the same state twice if it changed nothing). */
    void step(StepRecord record, dev.ioasid.model.ModelState before, dev.ioasid.model.ModelState after) {
        step(record);
        for (Situation situation : Situation.reached(record, before, after)) {
            if (situationsThisSequence.add(situation)) {
                situationSequences.merge(situation, 1, Integer::sum);
            }
        }
    }

    void step(StepRecord record) {
        steps++;
        String call = operationName(record.op());
        outcomes.computeIfAbsent(call, k -> new TreeMap<>())
                .merge(record.observed().outcomeName(), 1, Integer::sum);
        record.rules().forEach(rules::add);
        for (Rule rule : record.rules()) {
            if (rulesThisSequence.add(rule)) {
                ruleSequences.merge(rule, 1, Integer::sum);
            }
        }
        if (record.observed().isOk() && okThisSequence.add(call)) {
            okSequences.merge(call, 1, Integer::sum);
        }
        if (record.op() instanceof Operation.Dma) {
            boolean stale = record.rules().contains(Rule.XLT_4);
            nestedDma += stale || record.rules().contains(Rule.XLT_3) ? 1 : 0;
            staleAccepted += stale ? 1 : 0;
        }
    }

    /**
     * Adds the counts of a recorded run of other sequences (a shard of the same campaign): totals,
     * the outcome table and per-sequence counts add up; the rules exercised are those with a count.
     */
    void add(RunRecord run) {
        sequences += run.sequences();
        steps += run.steps();
        nestedDma += run.nestedDma();
        staleAccepted += run.staleAccepted();
        run.outcomes().forEach((call, row) -> row.forEach((outcome, count) ->
                outcomes.computeIfAbsent(call, k -> new TreeMap<>()).merge(outcome, count, Integer::sum)));
        for (Rule rule : Rule.values()) {
            Integer count = run.ruleSequences().get(rule.id());
            if (count != null && count > 0) {
                ruleSequences.merge(rule, count, Integer::sum);
                rules.add(rule);
            }
        }
        for (Situation situation : Situation.values()) {
            situationSequences.merge(situation, run.situationSequences().getOrDefault(situation.name(), 0), Integer::sum);
        }
        run.okSequences().forEach((call, count) -> okSequences.merge(call, count, Integer::sum));
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

    /** In how many sequences the rule decided a step (0 if none). */
    public int sequencesWith(Rule rule) {
        return ruleSequences.getOrDefault(rule, 0);
    }

    /** In how many sequences the situation was reached (0 if none). */
    public int sequencesWith(Situation situation) {
        return situationSequences.getOrDefault(situation, 0);
    }

    /** In how many sequences a call of this name succeeded (0 if none). */
    public int sequencesWithOk(String call) {
        return okSequences.getOrDefault(call, 0);
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
