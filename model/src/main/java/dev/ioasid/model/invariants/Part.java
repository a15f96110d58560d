package dev.ioasid.model.invariants;

import dev.ioasid.model.ModelState;
import java.util.function.Function;

/**
 * The parts of a state an invariant reads (besides the bounds and the design, which never change).
 * A step that leaves every part an invariant reads as it was (the very same persistent value)
 * cannot break it, so the explorer checks a new state only against the invariants whose parts its
 * step changed. {@code InvariantPartsTests} checks each invariant reads nothing else.
 */
public enum Part {
    SETS(ModelState::sets),
    PASIDS(ModelState::pasids),
    OBJECTS(ModelState::objects),
    ATTACHMENTS(ModelState::attachments),
    MM(ModelState::mm),
    PARTIAL(ModelState::partial),
    /** The page request queue (interleaved delivery; always empty under atomic delivery). */
    PRQ(ModelState::prq),
    /** The responses devices received, which groups were answered, and how many groups completed. */
    HISTORY(ModelState::answers) {
        @Override public boolean same(ModelState a, ModelState b) {
            return super.same(a, b) && a.answered() == b.answered() && a.nextSerial() == b.nextSerial();
        }
    };

    private final Function<ModelState, Object> value;

    Part(Function<ModelState, Object> value) {
        this.value = value;
    }

    /** Whether the two states hold the very same value for this part. */
    public boolean same(ModelState a, ModelState b) {
        return value.apply(a) == value.apply(b);
    }
}
