package dev.ioasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import org.junit.jupiter.api.Test;

/** The model as a specification: it accepts every legal choice, follows it, and names its rules. */
class ModelTests {
    private final ModelState withSet = Model.step(Model.initial(Bounds.defaults()), new Operation.CreateSet(1, 0))
            .steps().head().next();

    @Test
    void acceptsAnyFreePasidInRangeAndFollowsIt() {
        Transition t = Model.step(withSet, new Operation.AllocPasid(1, 3, 5));

        assertThat(t.steps().map(s -> s.result())).containsExactly(
                new Result.Allocated(3), new Result.Allocated(4), new Result.Allocated(5));
        assertThat(t.accept(new Result.Allocated(4)).get().next().pasids().keySet()).containsExactly(4);
        assertThat(t.accept(new Result.Allocated(6))).isEmpty();
        assertThat(t.accept(Result.failed(Errno.ENOSPC))).isEmpty();
        assertThat(t.expected()).isEqualTo("ok(id) with id in {3, 4, 5}");
        assertThat(t.rules()).containsExactly(Rule.PASID_4);
    }

    @Test
    void errorsNameTheirRuleAndChangeNothing() {
        Transition t = Model.step(withSet, new Operation.CreateSet(1, 1));

        Transition.Step step = t.accept(Result.failed(Errno.EEXIST)).get();
        assertThat(step.next()).isEqualTo(withSet);
        assertThat(step.rules()).containsExactly(Rule.SET_2);
    }

    @Test
    void statesCompareByValue() {
        ModelState a = Model.step(withSet, new Operation.AllocIoas(1)).accept(new Result.Allocated(2)).get().next();
        ModelState b = Model.step(withSet, new Operation.AllocIoas(1)).accept(new Result.Allocated(2)).get().next();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }
}
