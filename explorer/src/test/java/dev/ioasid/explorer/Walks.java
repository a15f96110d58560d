package dev.ioasid.explorer;

import dev.ioasid.contract.Operation;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import java.util.ArrayList;
import java.util.List;

/** Steps for tests that walk the model as the explorer would. */
final class Walks {

    private Walks() {
    }

    /** The successors of {@code s} under the explorer's operations that change it (canonical results). */
    static List<ModelState> moves(ModelState s, int groupRequests) {
        List<ModelState> moves = new ArrayList<>();
        for (Operation op : Actions.forExploration(s, groupRequests)) {
            ModelState next = Model.step(s, op).canonical().next();
            if (next != s) {
                moves.add(next);
            }
        }
        return moves;
    }
}
