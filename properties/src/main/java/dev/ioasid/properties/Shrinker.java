package dev.ioasid.properties;

import dev.ioasid.contract.Operation;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.function.Function;

/**
 * Shrinks a failing operation sequence to a 1-minimal one: remove chunks (halves down to single
 * operations), then pairs of operations anywhere, then simplify arguments, until nothing smaller
 * fails. A sequence is cut right after the step that fails, so what is kept always ends in the
 * failure. The number of replays is bounded; a shrink that hits the bound says so.
 */
public final class Shrinker {
    private final Function<List<Operation>, Option<Failure>> replay;
    private final int maxReplays;
    private int replays;

    public Shrinker(Function<List<Operation>, Option<Failure>> replay, int maxReplays) {
        this.replay = replay;
        this.maxReplays = maxReplays;
    }

    /** The result: the smallest failing sequence found and how many replays it took. */
    public record Shrunk(List<Operation> ops, Failure failure, int replays, boolean budgetExhausted) {
    }

    public Shrunk shrink(List<Operation> failing, Failure failure) {
        Candidate best = new Candidate(failing.take(failure.step() + 1), failure);
        boolean progress = true;
        while (progress && replays < maxReplays) {
            Candidate before = best;
            best = removeChunks(best);
            best = removePairs(best);
            best = simplifyArguments(best);
            progress = best != before;
        }
        return new Shrunk(best.ops, best.failure, replays, replays >= maxReplays);
    }

    private record Candidate(List<Operation> ops, Failure failure) {
    }

    private Candidate removeChunks(Candidate best) {
        for (int size = Math.max(1, best.ops.size() / 2); size >= 1; size /= 2) {
            int start = 0;
            while (start < best.ops.size()) {
                List<Operation> without = best.ops.take(start).appendAll(best.ops.drop(start + size));
                Option<Candidate> smaller = tryCandidate(without);
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
                Option<Candidate> smaller = tryCandidate(best.ops.removeAt(j).removeAt(i));
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
                Option<Candidate> smaller = tryCandidate(best.ops.update(i, simpler));
                if (smaller.isDefined()) {
                    best = smaller.get();
                    break;
                }
            }
        }
        return best;
    }

    private Option<Candidate> tryCandidate(List<Operation> ops) {
        if (replays >= maxReplays || ops.isEmpty()) {
            return Option.none();
        }
        replays++;
        return replay.apply(ops).map(f -> new Candidate(ops.take(f.step() + 1), f));
    }
}
