package dev.ioasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import org.junit.jupiter.api.Test;

class StateDiffTests {
    private static ModelState after(ModelState s, Operation op) {
        return Model.step(s, op).steps().head().next();
    }

    @Test
    void namesWhatAppearedChangedAndWent() {
        ModelState empty = Model.initial(Bounds.defaults());
        ModelState ioas = after(empty, new Operation.AllocIoas(1));
        ModelState attached = after(ioas, new Operation.Attach(1, Pasid.NONE, 1));
        ModelState detached = after(attached, new Operation.Detach(1, Pasid.NONE));

        assertThat(StateDiff.changes(empty, ioas)).containsExactly("+ vm 1 object 1: IOAS users=0 areas=[]");
        assertThat(StateDiff.changes(ioas, attached)).containsExactly("+ attach (dev=1, pasid=none): table 1",
                "~ vm 1 object 1: IOAS users=1 areas=[]");
        assertThat(StateDiff.changes(attached, detached)).containsExactly("~ vm 1 object 1: IOAS users=0 areas=[]",
                "- attach (dev=1, pasid=none)");
        assertThat(StateDiff.changes(ioas, ioas)).isEmpty();
    }
}
