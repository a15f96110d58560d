package dev.ioasid.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.model.Design;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.invariants.Invariant;
import dev.ioasid.model.invariants.Invariants;
import dev.ioasid.model.invariants.Part;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each invariant reads only the parts it declares ({@link Part}), which the explorer relies on to
 * skip checking a new state against invariants whose parts its step left alone: two states that
 * agree on an invariant's parts get the same verdict from it. The states are stitched together
 * from the parts of states that random walks reach (under every design, so that some break
 * invariants), which breaks many invariants on purpose.
 */
class InvariantPartsTests {

    @Test
    void statesThatAgreeOnAnInvariantsPartsGetTheSameVerdict() {
        Random random = new Random(17);
        int broken = 0;
        for (Bounds bounds : List.of(ExploreConfig.defaultBounds(), IndependenceTests.twoVmsWithSva())) {
            List<ModelState> reached = walks(bounds, random);
            for (int trial = 0; trial < 3_000; trial++) {
                ModelState s = stitch(pick(reached, random), pick(reached, random), randomParts(random));
                ModelState other = pick(reached, random);
                for (Invariant invariant : Invariants.ALL) {
                    ModelState same = stitch(s, other, invariant.reads());
                    assertThat(invariant.violation(same)).as("%s on %s and on %s", invariant, s, same)
                            .isEqualTo(invariant.violation(s));
                    broken += invariant.violation(s).isDefined() ? 1 : 0;
                }
            }
        }
        assertThat(broken).isGreaterThan(2_000);
    }

    /** {@code from}'s parts in {@code parts}, {@code rest}'s elsewhere (the bounds, design and delivery are {@code from}'s). */
    private static ModelState stitch(ModelState from, ModelState rest, Set<Part> parts) {
        boolean history = parts.contains(Part.HISTORY);
        return new ModelState(from.bounds(),
                (parts.contains(Part.SETS) ? from : rest).sets(),
                (parts.contains(Part.PASIDS) ? from : rest).pasids(),
                (parts.contains(Part.OBJECTS) ? from : rest).objects(),
                (parts.contains(Part.ATTACHMENTS) ? from : rest).attachments(),
                (parts.contains(Part.MM) ? from : rest).mm(),
                (parts.contains(Part.PARTIAL) ? from : rest).partial(),
                (history ? from : rest).answers(), (history ? from : rest).nextSerial(), (history ? from : rest).answered(),
                from.design(), (parts.contains(Part.PRQ) ? from : rest).prq(), from.delivery());
    }

    private static Set<Part> randomParts(Random random) {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (Part part : Part.values()) {
            if (random.nextBoolean()) {
                parts.add(part);
            }
        }
        return parts;
    }

    /** States along random walks that change the state at each step, under each design, past any violation. */
    private static List<ModelState> walks(Bounds bounds, Random random) {
        List<ModelState> states = new ArrayList<>();
        for (int walk = 0; walk < 80; walk++) {
            // Every design, and every fault delivery (the interleaved ones queue groups and orphan them).
            ModelState s = Model.initial(bounds, Design.values()[walk % Design.values().length],
                    dev.ioasid.model.FaultDelivery.values()[(walk / Design.values().length) % dev.ioasid.model.FaultDelivery.values().length]);
            for (int step = 0; step < 30; step++) {
                List<ModelState> moves = Walks.moves(s, 2);
                s = moves.get(random.nextInt(moves.size()));
                states.add(s);
            }
        }
        return states;
    }

    private static ModelState pick(List<ModelState> states, Random random) {
        return states.get(random.nextInt(states.size()));
    }
}
