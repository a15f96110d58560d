package dev.ioasid.explorer;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import java.util.List;

/**
 * Sleep sets over the operations every state of a bounds is offered ({@link Actions#fixed}), as bit
 * sets indexed like that list; {@code null} is the empty set. The operations a state adds after
 * them (responds, non-last page requests) are never put to sleep, which is always sound, and count
 * as coming after every fixed one in the order the reduction uses.
 *
 * <p>After operation {@code a} from a state with sleep set {@code Z}, the successor sleeps on every
 * fixed operation independent of {@code a} that either comes before {@code a} or already slept in
 * {@code Z}: {@link #after}. Why that visits every state is in {@link Explorer}.
 */
final class SleepSets {
    private final int fixed;
    private final int words;
    private final Independence independence;
    private final Independence.Footprint[] footprints;
    /** For each fixed operation, the fixed operations independent of it. */
    private final long[][] independentOf;

    SleepSets(Bounds bounds) {
        List<Operation> ops = Actions.fixed(bounds);
        fixed = ops.size();
        words = (fixed + 63) / 64;
        independence = new Independence(bounds);
        footprints = new Independence.Footprint[fixed];
        for (int k = 0; k < fixed; k++) {
            footprints[k] = independence.footprint(ops.get(k));
        }
        independentOf = new long[fixed][];
        for (int k = 0; k < fixed; k++) {
            independentOf[k] = independentOf(footprints[k]);
        }
    }

    /** Whether the operation at {@code index} of the state's list sleeps in {@code sleep}. */
    boolean sleeps(long[] sleep, int index) {
        return sleep != null && index < fixed && (sleep[index >>> 6] & (1L << index)) != 0;
    }

    /** The sleep set of the successor by the operation at {@code index} (that operation is {@code op}). */
    long[] after(long[] sleep, int index, Operation op) {
        long[] independent = index < fixed ? independentOf[index] : independentOf(independence.footprint(op));
        long[] next = new long[words];
        long any = 0;
        for (int w = 0; w < words; w++) {
            long earlier = index >= fixed ? -1L : w < (index >>> 6) ? -1L : w > (index >>> 6) ? 0 : (1L << index) - 1;
            long bits = (earlier | (sleep == null ? 0 : sleep[w])) & independent[w];
            next[w] = bits;
            any |= bits;
        }
        return any == 0 ? null : next;
    }

    private long[] independentOf(Independence.Footprint footprint) {
        long[] bits = new long[words];
        for (int b = 0; b < fixed; b++) {
            if (!footprint.conflictsWith(footprints[b])) {
                bits[b >>> 6] |= 1L << b;
            }
        }
        return bits;
    }
}
