package dev.ioasid.properties;

import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import java.util.HashSet;
import java.util.Set;

/**
 * Coverage feedback for the generator: weights move toward the operation kinds that still reach
 * cells of coverage the run has not seen. A cell is a call, its outcome (ok or which errno), the
 * rules that decided it and the shape of the state it was made in (is anything attached, nested,
 * holding a partial group, delivered to a queue and not yet answered): the (operation, outcome,
 * state shape) cells of the run summary, with the rules besides.
 *
 * <p>Each of the generator's choices is an arm of a bandit: its weight is multiplied by
 * {@code 1 + BONUS * (found + 1) / (drawn + 2)}, where {@code drawn} counts its draws and
 * {@code found} those that reached a new cell. Every choice starts at the same boost, so the first
 * sequences draw as the plain weights do; a choice whose cells are all seen falls toward its plain
 * weight, and one that keeps finding new cells keeps its boost. The steps that scripts and
 * constructions make (not drawn by weight) count for the cells but move no weight.
 *
 * <p>With feedback a sequence depends on the sequences before it in the run, so a run is still a
 * pure function of its seed, tries and length, but a sequence is not of the seed and its index
 * alone: sharding is refused, and a failure replays from its trace file, as always.
 */
final class Feedback {
    static final double BONUS = 8;

    private final Set<String> cells = new HashSet<>();
    private final int[] drawn;
    private final int[] found;

    Feedback(int choices) {
        drawn = new int[choices];
        found = new int[choices];
    }

    /** The factor the weight of choice {@code choice} is multiplied by. */
    double boost(int choice) {
        return 1 + BONUS * (found[choice] + 1.0) / (drawn[choice] + 2.0);
    }

    /**
     * A checked step, made in state {@code before}; {@code choice} is the generator choice that drew
     * it, or -1 if a script or construction made it.
     */
    void observe(int choice, StepRecord record, ModelState before) {
        boolean fresh = cells.add(cell(record, before));
        if (choice >= 0) {
            drawn[choice]++;
            found[choice] += fresh ? 1 : 0;
        }
    }

    /** How many cells the run has reached. */
    int cellsSeen() {
        return cells.size();
    }

    static String cell(StepRecord record, ModelState before) {
        StringBuilder cell = new StringBuilder(Coverage.operationName(record.op())).append('|')
                .append(record.observed().outcomeName()).append('|');
        for (Rule rule : record.rules()) {
            cell.append(rule.id()).append(',');
        }
        return cell.append('|').append(shape(before)).toString();
    }

    /** A few bits of what the state holds: what makes the same call take another way. */
    private static int shape(ModelState s) {
        int shape = s.attachments().isEmpty() ? 0 : 1;
        shape |= s.objects().values().exists(o -> o instanceof dev.ioasid.model.ModelObject.HwptNested) ? 2 : 0;
        shape |= s.partial().isEmpty() ? 0 : 4;
        shape |= s.objects().values().exists(o -> o instanceof dev.ioasid.model.ModelObject.FaultQueue q
                && !(q.delivered().isEmpty() && q.awaiting().isEmpty())) ? 8 : 0;
        shape |= s.mm().isEmpty() ? 0 : 16;
        return shape;
    }
}
