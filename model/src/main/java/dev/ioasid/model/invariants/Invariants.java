package dev.ioasid.model.invariants;

import dev.ioasid.model.ModelState;
import io.vavr.Tuple2;
import io.vavr.collection.List;
import io.vavr.control.Option;

/** Every invariant of layers A, B and C, checked on every new state. */
public final class Invariants {

    public static final List<Invariant> ALL = SetInvariants.ALL
            .appendAll(ObjectInvariants.ALL)
            .appendAll(AttachInvariants.ALL)
            .appendAll(FaultInvariants.ALL);

    private Invariants() {
    }

    /**
     * The first invariant a successor of {@code parent} breaks, given that {@code parent} broke none:
     * invariants reading only parts the step left as they were are not checked again ({@link Part}).
     * With no parent ({@code null}), every invariant is checked.
     */
    public static Option<Tuple2<Invariant, String>> firstViolation(ModelState state, ModelState parent) {
        for (Invariant invariant : ALL) {
            if (parent != null && invariant.readsNothingChanged(state, parent)) {
                continue;
            }
            Option<String> violation = invariant.violation(state);
            if (violation.isDefined()) {
                return Option.some(new Tuple2<>(invariant, violation.get()));
            }
        }
        return Option.none();
    }

    /** The first invariant the state breaks, with what is wrong. */
    public static Option<Tuple2<Invariant, String>> firstViolation(ModelState state) {
        return firstViolation(state, null);
    }
}
