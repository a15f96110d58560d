package dev.ioasid.properties;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.function.BiFunction;

/**
 * Shrinks a failing operation sequence to a 1-minimal one: remove chunks (halves down to single
 * operations), then pairs of operations anywhere, then simplify arguments (one at a time, and values
 * repeated across operations together), then try repeating an earlier call in place of a later
 * one, and on short sequences remove one operation while simplifying another, until nothing
 * smaller fails. A sequence is cut right after the step that fails, so what is kept always ends in the
 * failure. Each candidate is replayed with the results of the sequence it came from, so that IDs
 * an implementation now hands out differently are followed ({@link IdRenaming}). The number of
 * replays is bounded, and so may be the time ({@link #until}); a shrink stopped by either says so.
 */
public final class Shrinker {
    private final BiFunction<List<Operation>, List<Option<Result>>, Replay.Replayed> replay;
    private final int maxReplays;
    private int replays;
    /** System.nanoTime() after which no candidate is tried (Long.MAX_VALUE: no time limit). */
    private long deadline = Long.MAX_VALUE;
    private boolean outOfTime;
    private java.util.function.Consumer<Shrunk> improved = shrunk -> { };
    private dev.ioasid.contract.Bounds probeBounds;

    public Shrinker(BiFunction<List<Operation>, List<Option<Result>>, Replay.Replayed> replay, int maxReplays) {
        this.replay = replay;
        this.maxReplays = maxReplays;
    }

    /** Whether {@code a} is a smaller failing sequence than {@code b}: shorter, or as long and simpler. */
    public static boolean smaller(List<Operation> a, List<Operation> b) {
        return a.size() < b.size() || (a.size() == b.size() && Simplifier.complexity(a) < Simplifier.complexity(b));
    }

    /** The result: the smallest failing sequence found and how many replays it took. */
    public record Shrunk(List<Operation> ops, Failure failure, int replays, boolean budgetExhausted) {
    }

    /**
     * Also looks for the failure earlier, with the model of these bounds: after each prefix, one
     * probe ({@link Probes}) may show where the implementation went wrong (a leak that a run first
     * noticed through a full table shows, one call after the leak, in the object's users).
     */
    public Shrinker probing(dev.ioasid.contract.Bounds bounds) {
        this.probeBounds = bounds;
        return this;
    }

    /**
     * Stops trying candidates at {@code deadlineNanos} (a {@link System#nanoTime()} value): the
     * smallest failing sequence found by then is the result, marked as not proven minimal.
     */
    public Shrinker until(long deadlineNanos) {
        this.deadline = deadlineNanos;
        return this;
    }

    /** Tells {@code listener} of every smaller failing sequence found, as soon as it is found. */
    public Shrinker observing(java.util.function.Consumer<Shrunk> listener) {
        this.improved = listener;
        return this;
    }

    public Shrunk shrink(Replay.Replayed failing) {
        Candidate best = toLocalMinimum(Candidate.of(failing).get());
        // Out of the local minimum: shrink again from where the failure first shows (see escape).
        for (Option<Candidate> out = escape(best); out.isDefined(); out = escape(best)) {
            best = out.get();
        }
        return new Shrunk(best.ops, best.failure, replays, replays >= maxReplays || outOfTime);
    }

    private Candidate toLocalMinimum(Candidate best) {
        boolean progress = true;
        while (progress && replays < maxReplays && !outOfTime) {
            Candidate before = best;
            best = removeChunks(best);
            best = removePairs(best);
            best = simplifyArguments(best);
            best = simplifyTogether(best);
            best = repeatEarlier(best);
            best = removeOneSimplifyAnother(best);
            best = probeEarlier(best);
            progress = best != before;
        }
        return best;
    }

    /**
     * A way out of a local minimum: a failure first found through a late symptom (a full object
     * table refusing an allocation) shrinks to a trace built around that symptom, while the same
     * mistake shows in fewer calls through the symptom a probe sees right after it happened (the
     * leaked reference itself). The prefix up to the first step after which a probe fails, and that
     * probe, is shrunk on its own, even when it is no shorter to begin with; it replaces the best
     * only if it ends smaller.
     */
    private Option<Candidate> escape(Candidate best) {
        if (probeBounds == null || replays >= maxReplays || outOfTime) {
            return Option.none();
        }
        // A prefix of j + 1 calls and a probe is no longer than the best when j + 2 <= its length.
        java.util.List<dev.ioasid.model.ModelState> states = Probes.statesAlong(probeBounds, best.ops, best.results,
                best.ops.size() - 1);
        for (int j = 0; j < states.size(); j++) {
            for (Operation probe : Probes.of(states.get(j))) {
                if (j + 2 == best.ops.size() && probe.equals(best.ops.last())) {
                    continue; // the best itself
                }
                Option<Candidate> failing = attempt(new Candidate(best.ops.take(j + 1).append(probe),
                        best.results.take(j + 1).append(Option.none()), best.failure));
                if (failing.isDefined()) {
                    // The first divergence a probe sees: the one basin worth trying from here.
                    Candidate shrunk = toLocalMinimum(failing.get());
                    return smaller(shrunk.ops, best.ops) ? Option.some(shrunk) : Option.none();
                }
            }
        }
        return Option.none();
    }

    /** A failing sequence with what each of its steps returned, cut after the failing step. */
    private record Candidate(List<Operation> ops, List<Option<Result>> results, Failure failure) {
        static Option<Candidate> of(Replay.Replayed replayed) {
            return replayed.failure().map(f -> new Candidate(replayed.applied().take(f.step() + 1),
                    replayed.observed().take(f.step() + 1), f));
        }

        Candidate without(int start, int count) {
            return new Candidate(ops.take(start).appendAll(ops.drop(start + count)),
                    results.take(start).appendAll(results.drop(start + count)), failure);
        }
    }

    private Candidate removeChunks(Candidate best) {
        for (int size = Math.max(1, best.ops.size() / 2); size >= 1; size /= 2) {
            int start = 0;
            while (start < best.ops.size()) {
                Option<Candidate> smaller = attempt(best.without(start, size));
                if (smaller.isDefined()) {
                    best = smaller.get();
                } else {
                    start += size;
                }
            }
        }
        return best;
    }

    private Candidate removePairs(Candidate best) {
        for (int i = 0; i < best.ops.size(); i++) {
            for (int j = i + 2; j < best.ops.size(); j++) {
                Option<Candidate> smaller = attempt(best.without(j, 1).without(i, 1));
                if (smaller.isDefined()) {
                    return removePairs(smaller.get());
                }
            }
        }
        return best;
    }

    private Candidate simplifyArguments(Candidate best) {
        for (int i = 0; i < best.ops.size(); i++) {
            for (Operation simpler : Simplifier.simpler(best.ops.get(i))) {
                Candidate variant = new Candidate(best.ops.update(i, simpler), best.results, best.failure);
                Option<Candidate> smaller = attempt(variant);
                if (smaller.isDefined() && smaller(smaller.get().ops, best.ops)) {
                    best = smaller.get();
                    break;
                }
            }
        }
        return best;
    }

    private Candidate simplifyTogether(Candidate best) {
        for (List<Operation> variant : Simplifier.simplerTogether(best.ops)) {
            Option<Candidate> smaller = attempt(new Candidate(variant, best.results, best.failure));
            if (smaller.isDefined() && smaller(smaller.get().ops, best.ops)) {
                return simplifyTogether(smaller.get());
            }
        }
        return best;
    }

    /** A prefix and one probe that fail in fewer steps than the best, if there is one (see {@link #probing}). */
    private Candidate probeEarlier(Candidate best) {
        if (probeBounds == null) {
            return best;
        }
        // A prefix of j + 1 calls and a probe is shorter than the best when j + 2 < its length.
        java.util.List<dev.ioasid.model.ModelState> states = Probes.statesAlong(probeBounds, best.ops, best.results,
                best.ops.size() - 2);
        for (int j = 0; j < states.size(); j++) {
            for (Operation probe : Probes.of(states.get(j))) {
                Option<Candidate> failing = attempt(new Candidate(best.ops.take(j + 1).append(probe),
                        best.results.take(j + 1).append(Option.none()), best.failure));
                if (failing.isDefined() && smaller(failing.get().ops, best.ops)) {
                    return failing.get();
                }
            }
        }
        return best;
    }

    /**
     * Puts a copy of an earlier operation in place of a later one: a failure that shows late, through
     * a query after other steps, often shows at once when an earlier call is simply made again
     * (the same cookie answered twice). Accepted only when it leaves a smaller trace.
     */
    private Candidate repeatEarlier(Candidate best) {
        for (int i = 1; i < best.ops.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (best.ops.get(j).equals(best.ops.get(i))) {
                    continue;
                }
                Candidate variant = new Candidate(best.ops.update(i, best.ops.get(j)), best.results, best.failure);
                Option<Candidate> smaller = attempt(variant);
                if (smaller.isDefined() && smaller(smaller.get().ops, best.ops)) {
                    return repeatEarlier(smaller.get());
                }
            }
        }
        return best;
    }

    /** Sequences up to this long also get the quadratic pass below. */
    private static final int SHORT = 12;

    /**
     * Removes one operation and simplifies another in the same candidate: an attach made through a
     * replace needs both the replace turned into an attach and the earlier attach gone. Quadratic,
     * so only on short sequences.
     */
    private Candidate removeOneSimplifyAnother(Candidate best) {
        if (best.ops.size() > SHORT) {
            return best;
        }
        for (int removed = 0; removed < best.ops.size(); removed++) {
            Candidate without = best.without(removed, 1);
            for (int j = 0; j < without.ops.size(); j++) {
                for (Operation simpler : Simplifier.simpler(without.ops.get(j))) {
                    Option<Candidate> smaller = attempt(new Candidate(without.ops.update(j, simpler), without.results,
                            best.failure));
                    if (smaller.isDefined() && smaller(smaller.get().ops, best.ops)) {
                        return removeOneSimplifyAnother(smaller.get());
                    }
                }
            }
        }
        return best;
    }

    private Option<Candidate> attempt(Candidate candidate) {
        if (replays >= maxReplays || candidate.ops.isEmpty() || outOfTime) {
            return Option.none();
        }
        if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
            outOfTime = true;
            return Option.none();
        }
        replays++;
        Option<Candidate> smaller = Candidate.of(replay.apply(candidate.ops, candidate.results));
        smaller.forEach(c -> improved.accept(new Shrunk(c.ops, c.failure, replays, false)));
        return smaller;
    }
}
