package dev.ioasid.properties.concurrent;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Operation;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.properties.Generator;
import dev.ioasid.properties.IdRenaming;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The parallel property run: draws scenarios (a prefix, then each thread's calls, each drawn as if
 * that thread ran alone after the prefix, so that the calls are meaningful), runs each on a fresh
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
                         Scenario shrunk, History history, String why, long shrinkRuns) implements Outcome {
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
                        shrunk.verdict().run().history(), shrunk.verdict().failure(), shrunk.runs());
            }
        }
        return new Passed(config, config.tries(), searched, (System.nanoTime() - started) / 1e9);
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
        ModelState state = Model.initial(config.bounds());
        List<Operation> prefix = new ArrayList<>();
        for (int i = 0; i < config.prefix(); i++) {
            Operation op = generator.next(state, random);
            prefix.add(op);
            state = Model.step(state, op).canonical().next();
        }
        List<List<Operation>> threads = new ArrayList<>();
        for (int t = 0; t < config.threads(); t++) {
            ModelState alone = state;
            List<Operation> calls = new ArrayList<>();
            for (int i = 0; i < config.calls(); i++) {
                Operation op = generator.next(alone, random);
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
    record Shrunk(Scenario scenario, Verdict verdict, long runs) {
    }

    /**
     * Fewer threads, then fewer calls, one at a time, while some schedule of the smaller scenario
     * fails. A prefix call taken out may change the IDs later allocations return (an implementation
     * chooses them): later calls are renamed to keep naming what they named ({@link IdRenaming}).
     */
    Shrunk shrink(Scenario failing, Verdict failed) {
        Scenario best = failing;
        Verdict bestVerdict = failed;
        long runs = 0;
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            List<dev.ioasid.contract.Result> bestPrefixResults = prefixResults(best.prefix());
            for (Scenario raw : candidates(best)) {
                Scenario candidate = raw.prefix().size() < best.prefix().size()
                        ? renamed(best, bestPrefixResults, raw) : raw;
                long seed = candidate.scheduleSeed();
                SplittableRandom schedules = new SplittableRandom(seed);
                int tries = config.controlled() ? SCHEDULES_PER_CANDIDATE : SCHEDULES_PER_CANDIDATE * 4;
                Scenario found = null;
                for (int s = 0; s < tries && found == null; s++) {
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
        return new Shrunk(best, bestVerdict, runs);
    }

    private List<dev.ioasid.contract.Result> prefixResults(List<Operation> prefix) {
        dev.ioasid.contract.IoasidImplementation impl = factory.create(config.bounds());
        return prefix.stream().map(impl::apply).toList();
    }

    /** {@code shorter} (the prefix of {@code from} less one call) with later IDs renamed to what its replay allocates. */
    private Scenario renamed(Scenario from, List<dev.ioasid.contract.Result> before, Scenario shorter) {
        int removed = 0;
        while (removed < shorter.prefix().size() && shorter.prefix().get(removed).equals(from.prefix().get(removed))) {
            removed++;
        }
        dev.ioasid.contract.IoasidImplementation impl = factory.create(config.bounds());
        IdRenaming renaming = new IdRenaming(config.bounds());
        List<Operation> prefix = new ArrayList<>();
        for (int j = 0; j < from.prefix().size(); j++) {
            if (j == removed) {
                continue;
            }
            Operation op = renaming.rename(from.prefix().get(j));
            prefix.add(op);
            renaming.learn(from.prefix().get(j), before.get(j), impl.apply(op));
        }
        List<List<Operation>> threads = from.threads().stream().map(t -> t.stream().map(renaming::rename).toList()).toList();
        return new Scenario(prefix, threads, from.scheduleSeed());
    }

    private static List<Scenario> candidates(Scenario s) {
        List<Scenario> out = new ArrayList<>();
        for (int t = 0; t < s.threads().size(); t++) {
            add(out, s.withoutThread(t));
        }
        for (int t = 0; t < s.threads().size(); t++) {
            for (int i = s.threads().get(t).size() - 1; i >= 0; i--) {
                add(out, s.without(t, i));
            }
        }
        for (int i = s.prefix().size() - 1; i >= 0; i--) {
            add(out, s.without(-1, i));
        }
        return out;
    }

    private static void add(List<Scenario> out, Scenario candidate) {
        if (candidate != null) {
            out.add(candidate);
        }
    }
}
