package dev.ioasid.explorer;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sleep sets as bit sets over the operations whose identity does not depend on the state: the
 * operations every state of a bounds is offered ({@link Actions#fixed}), then every non-last page
 * request ({@link Actions#partialRequests}), which {@link Actions#forExploration} offers in that
 * order; {@code null} is the empty set. Responds name cookies, which differ from state to state, and
 * deliveries (interleaved fault delivery) are offered only when something is queued: neither is
 * ever put to sleep, which is always sound, and they count as coming after every other operation,
 * as the list offers them last.
 *
 * <p>After operation {@code a} from a state with sleep set {@code Z}, the successor sleeps on every
 * operation independent of {@code a} that either comes before {@code a} or already slept in
 * {@code Z}: {@link #after}. Why that visits every state is in {@link Explorer}.
 */
final class SleepSets {
    private final int fixed;
    private final int words;
    private final Independence independence;
    private final Independence.Footprint[] footprints;
    /** Where each non-last page request sits among the operations, after the fixed ones. */
    private final Map<Operation, Integer> partialSlots = new HashMap<>();
    /** For each operation, those independent of it. */
    private final long[][] independentOf;

    SleepSets(Bounds bounds) {
        this(bounds, dev.ioasid.model.FaultDelivery.ATOMIC);
    }

    SleepSets(Bounds bounds, dev.ioasid.model.FaultDelivery delivery) {
        List<Operation> ops = new ArrayList<>(Actions.fixed(bounds));
        fixed = ops.size();
        for (Operation request : Actions.partialRequests(bounds)) {
            partialSlots.put(request, ops.size());
            ops.add(request);
        }
        words = (ops.size() + 63) / 64;
        independence = new Independence(bounds, delivery);
        footprints = new Independence.Footprint[ops.size()];
        for (int k = 0; k < ops.size(); k++) {
            footprints[k] = independence.footprint(ops.get(k));
        }
        independentOf = new long[ops.size()][];
        for (int k = 0; k < ops.size(); k++) {
            independentOf[k] = independentOf(footprints[k]);
        }
    }

    /** Whether {@code op}, at {@code index} of the state's list, sleeps in {@code sleep}. */
    boolean sleeps(long[] sleep, int index, Operation op) {
        if (sleep == null) {
            return false;
        }
        int slot = slot(index, op);
        return slot >= 0 && (sleep[slot >>> 6] & (1L << slot)) != 0;
    }

    /** The sleep set of the successor by {@code op}, at {@code index} of the state's list. */
    long[] after(long[] sleep, int index, Operation op) {
        int slot = slot(index, op);
        long[] independent = slot >= 0 ? independentOf[slot] : independentOf(independence.footprint(op));
        long[] next = new long[words];
        long any = 0;
        for (int w = 0; w < words; w++) {
            long earlier = slot < 0 ? -1L : w < (slot >>> 6) ? -1L : w > (slot >>> 6) ? 0 : (1L << slot) - 1;
            long bits = (earlier | (sleep == null ? 0 : sleep[w])) & independent[w];
            next[w] = bits;
            any |= bits;
        }
        return any == 0 ? null : next;
    }

    /** The operation's bit, or -1 for a respond. */
    private int slot(int index, Operation op) {
        if (index < fixed) {
            return index;
        }
        Integer slot = op instanceof Operation.PageRequest request && !request.last() ? partialSlots.get(op) : null;
        return slot == null ? -1 : slot;
    }

    private long[] independentOf(Independence.Footprint footprint) {
        long[] bits = new long[words];
        for (int b = 0; b < footprints.length; b++) {
            if (!footprint.conflictsWith(footprints[b])) {
                bits[b >>> 6] |= 1L << b;
            }
        }
        return bits;
    }
}
