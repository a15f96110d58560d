package dev.ioasid.properties.concurrent;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Operation;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.properties.Generator;
import dev.ioasid.properties.IdRenaming;
import dev.ioasid.properties.Simplifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The parallel property run: draws scenarios (a prefix, steered in most tries towards a state races
 * hide in ({@link PrefixGoal}), then each thread's calls, each drawn as if that thread ran alone
 * after the prefix, so that the calls are meaningful), runs each on a fresh
 * instance, and checks every history for linearizability against the model. A failure (a history
 * no order explains, a call that threw, a run that got stuck) is shrunk to fewer calls and threads:
 * a smaller scenario is kept if some schedule of it still fails, and the schedule that fails is kept
 * with it, so the result replays exactly under the controlled scheduler.
 */
public final class ParallelEngine {
    /** Schedules tried for each smaller scenario while shrinking. */
    static final int SCHEDULES_PER_CANDIDATE = 64;

    private final ParallelConfig config;
    private final ImplementationFactory factory;

    public ParallelEngine(ParallelConfig config, ImplementationFactory factory) {
        this.config = config;
        this.factory = factory;
    }

    /** What a run found. */
    public sealed interface Outcome {
        ParallelConfig config();

        long histories();

        double seconds();
    }

    /** Every history was linearizable. */
    public record Passed(ParallelConfig config, long histories, long statesSearched, double seconds) implements Outcome {
    }

    /**
     * A failure: found at try {@code tryIndex} (0-based), shrunk to {@code shrunk}, whose failing run
     * is {@code run}; {@code why} says what no order explains, or what threw, or that the run got stuck.
     */
    public record Failed(ParallelConfig config, long histories, double seconds, int tryIndex, Scenario found,
                         Scenario shrunk, History history, String why, long shrinkRuns, boolean shrinkingCut)
            implements Outcome {
    }

    public Outcome run() {
        long started = System.nanoTime();
        SplittableRandom master = new SplittableRandom(config.seed());
        long searched = 0;
        for (int t = 0; t < config.tries(); t++) {
            Scenario scenario = draw(master.split());
            Verdict verdict = judge(scenario);
            searched += verdict.searched();
            if (verdict.failure() != null) {
                Shrunk shrunk = shrink(scenario, verdict);
                return new Failed(config, t + 1, (System.nanoTime() - started) / 1e9, t, scenario, shrunk.scenario(),
                        shrunk.verdict().run().history(), shrunk.verdict().failure(), shrunk.runs(), shrunk.cut());
            }
        }
        return new Passed(config, config.tries(), searched, (System.nanoTime() - started) / 1e9);
    }

    /**
     * The histories of the first {@code count} tries of this run, run but not checked: what a
     * benchmark of the linearizability checker times.
     */
    public List<History> sampleHistories(int count) {
        SplittableRandom master = new SplittableRandom(config.seed());
        List<History> histories = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            histories.add(ParallelRunner.run(config.bounds(), factory, draw(master.split()), config.controlled()).history());
        }
        return histories;
    }

    /** Runs a scenario once and says what is wrong with its history, if anything (null: nothing). */
    Verdict judge(Scenario scenario) {
        ParallelRunner.Run run = ParallelRunner.run(config.bounds(), factory, scenario, config.controlled());
        if (run.stuck()) {
            return new Verdict(run, "the threads made no progress within " + ControlledScheduler.MAX_SWITCHES
                    + " switches (a lock never released?)", 0);
        }
        if (run.thrown() != null) {
            return new Verdict(run, "a call threw " + run.thrown(), 0);
        }
        Linearizability.Verdict v = Linearizability.check(run.history());
        if (v instanceof Linearizability.NotLinearizable n) {
            return new Verdict(run, n.explain(), n.statesSearched());
        }
        if (v instanceof Linearizability.PrefixRejected p) {
            return new Verdict(run, "the prefix, run alone, disagreed with the model at call " + (p.step() + 1)
                    + " (expected " + p.expected() + "): a sequential failure, which fuzz shrinks better", 0);
        }
        return new Verdict(run, null, ((Linearizability.Linearizable) v).statesSearched());
    }

    record Verdict(ParallelRunner.Run run, String failure, long searched) {
    }

    private Scenario draw(SplittableRandom random) {
        Generator generator = new Generator(config.bounds());
        generator.startSequence(random.nextLong());
        PrefixGoal goal = PrefixGoal.draw(random);
        PrefixGoal.Prefix drawn = goal.prefix(Model.initial(config.bounds()), generator, config.prefix(), random);
        List<Operation> prefix = drawn.calls();
        ModelState state = drawn.state();
        List<List<Operation>> threads = new ArrayList<>();
        for (int t = 0; t < config.threads(); t++) {
            ModelState alone = state;
            List<Operation> calls = new ArrayList<>();
            for (int i = 0; i < config.calls(); i++) {
                Operation op = generator.next(alone, random);
                for (int redraw = 0; redraw < PrefixGoal.FOCUS_REDRAWS && !goal.inFocus(op); redraw++) {
                    op = generator.next(alone, random);
                }
                calls.add(op);
                alone = Model.step(alone, op).canonical().next();
            }
            threads.add(calls);
        }
        return new Scenario(prefix, threads, random.nextLong());
    }

    /**
     * The smallest failing scenario and the run of it that failed: kept rather than run again, since
     * free-running threads (--stress) need not fail the same way twice.
     */
    record Shrunk(Scenario scenario, Verdict verdict, long runs, boolean cut) {
    }

    /**
     * Fewer threads, then fewer calls, one at a time, then simpler calls, while some schedule of the
     * smaller scenario fails. A prefix call taken out or changed may change the IDs later allocations
     * return (an implementation chooses them): later calls are renamed to keep naming what they named
     * ({@link IdRenaming}).
     */
    Shrunk shrink(Scenario failing, Verdict failed) {
        Scenario best = failing;
        Verdict bestVerdict = failed;
        long runs = 0;
        long deadline = config.shrinkSeconds() > 0 ? System.nanoTime() + (long) (config.shrinkSeconds() * 1e9) : Long.MAX_VALUE;
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            if (System.nanoTime() > deadline) {
                return new Shrunk(best, bestVerdict, runs, true);
            }
            List<dev.ioasid.contract.Result> bestPrefixResults = prefixResults(best.prefix());
            for (Candidate raw : candidates(best)) {
                Scenario candidate = raw.touchesPrefix() ? renamed(best, bestPrefixResults, raw) : raw.scenario();
                if (!smaller(candidate, best)) {
                    continue;
                }
                long seed = candidate.scheduleSeed();
                SplittableRandom schedules = new SplittableRandom(seed);
                int tries = config.controlled() ? SCHEDULES_PER_CANDIDATE : SCHEDULES_PER_CANDIDATE * 4;
                Scenario found = null;
                for (int s = 0; s < tries && found == null && System.nanoTime() <= deadline; s++) {
                    Scenario scheduled = s == 0 ? candidate : candidate.withScheduleSeed(schedules.nextLong());
                    runs++;
                    Verdict verdict = judge(scheduled);
                    if (verdict.failure() != null) {
                        found = scheduled;
                        bestVerdict = verdict;
                    }
                }
                if (found != null) {
                    best = found;
                    smaller = true;
                    break;
                }
            }
        }
        return new Shrunk(best, bestVerdict, runs, false);
    }

    private List<dev.ioasid.contract.Result> prefixResults(List<Operation> prefix) {
        dev.ioasid.contract.IoasidImplementation impl = factory.create(config.bounds());
        return prefix.stream().map(impl::apply).toList();
    }

    /**
     * {@code from}'s prefix less the calls the candidate removes and with the calls it changes, the
     * IDs named after them renamed to what its replay allocates; the candidate's threads.
     */
    private Scenario renamed(Scenario from, List<dev.ioasid.contract.Result> before, Candidate candidate) {
        dev.ioasid.contract.IoasidImplementation impl = factory.create(config.bounds());
        IdRenaming renaming = new IdRenaming(config.bounds());
        List<Operation> prefix = new ArrayList<>();
        for (int j = 0; j < from.prefix().size(); j++) {
            if (candidate.removed().contains(j)) {
                continue;
            }
            Operation op = renaming.rename(candidate.changed().getOrDefault(j, from.prefix().get(j)));
            prefix.add(op);
            renaming.learn(from.prefix().get(j), before.get(j), impl.apply(op));
        }
        List<List<Operation>> threads = candidate.scenario().threads().stream()
                .map(t -> t.stream().map(renaming::rename).toList()).toList();
        return new Scenario(prefix, threads, from.scheduleSeed());
    }

    /** Fewer calls, or as many and simpler ({@link Simplifier#complexity}): what shrinking may move to. */
    private static boolean smaller(Scenario candidate, Scenario best) {
        if (candidate.size() != best.size()) {
            return candidate.size() < best.size();
        }
        return complexity(candidate) < complexity(best);
    }

    private static long complexity(Scenario s) {
        io.vavr.collection.List<Operation> calls = io.vavr.collection.List.ofAll(s.prefix());
        for (List<Operation> thread : s.threads()) {
            calls = calls.appendAll(thread);
        }
        return Simplifier.complexity(calls);
    }

    /**
     * A scenario to try: its threads, and what it does to the prefix of the scenario it comes from
     * (calls left out, calls changed), which the engine applies, renaming the IDs named after.
     */
    private record Candidate(Scenario scenario, java.util.Set<Integer> removed, java.util.Map<Integer, Operation> changed) {
        boolean touchesPrefix() {
            return !removed.isEmpty() || !changed.isEmpty();
        }
    }

    /**
     * Smaller scenarios, most promising first: a thread less, a thread call less, a prefix call
     * less; an attach and a later replace of the same point made one attach to the replace's table
     * (the table the threads race on was often reached in two steps); then each call made simpler
     * ({@link Simplifier}: a fault queue argument of none, a replace as an attach...).
     */
    private static List<Candidate> candidates(Scenario s) {
        List<Candidate> out = new ArrayList<>();
        for (int t = 0; t < s.threads().size(); t++) {
            add(out, s.withoutThread(t));
        }
        for (int t = 0; t < s.threads().size(); t++) {
            for (int i = s.threads().get(t).size() - 1; i >= 0; i--) {
                add(out, s.without(t, i));
            }
        }
        for (int i = s.prefix().size() - 1; i >= 0; i--) {
            out.add(new Candidate(s, java.util.Set.of(i), java.util.Map.of()));
        }
        for (int j = 0; j < s.prefix().size(); j++) {
            if (s.prefix().get(j) instanceof Operation.Replace r) {
                for (int i = j - 1; i >= 0; i--) {
                    Operation earlier = s.prefix().get(i);
                    if (earlier instanceof Operation.Attach a && a.device() == r.device() && a.pasid() == r.pasid()) {
                        out.add(new Candidate(s, java.util.Set.of(i),
                                java.util.Map.of(j, new Operation.Attach(r.device(), r.pasid(), r.table()))));
                        break;
                    }
                    if (earlier instanceof Operation.Replace e && e.device() == r.device() && e.pasid() == r.pasid()) {
                        break;
                    }
                }
            }
        }
        for (int j = 0; j < s.prefix().size(); j++) {
            for (Operation simpler : Simplifier.simpler(s.prefix().get(j))) {
                out.add(new Candidate(s, java.util.Set.of(), java.util.Map.of(j, simpler)));
            }
        }
        for (int t = 0; t < s.threads().size(); t++) {
            for (int i = 0; i < s.threads().get(t).size(); i++) {
                for (Operation simpler : Simplifier.simpler(s.threads().get(t).get(i))) {
                    add(out, s.with(t, i, simpler));
                }
            }
        }
        return out;
    }

    private static void add(List<Candidate> out, Scenario candidate) {
        if (candidate != null) {
            out.add(new Candidate(candidate, java.util.Set.of(), java.util.Map.of()));
        }
    }
}
