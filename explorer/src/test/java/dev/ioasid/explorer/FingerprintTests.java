package dev.ioasid.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import org.junit.jupiter.api.Test;

/** The canonical encoding: renumbered objects are one state; anything else tells states apart. */
class FingerprintTests {
    private final ModelState empty = Model.initial(ExplorerTests.withQueue());

    private static ModelState step(ModelState s, Operation op, Result result) {
        return Model.step(s, op).accept(result).get().next();
    }

    @Test
    void statesThatDifferOnlyInObjectIdsAreOne() {
        ModelState a = step(step(empty, new Operation.AllocIoas(1), new Result.Allocated(1)),
                new Operation.AllocFaultQueue(1), new Result.Allocated(2));
        ModelState b = step(step(empty, new Operation.AllocIoas(1), new Result.Allocated(2)),
                new Operation.AllocFaultQueue(1), new Result.Allocated(1));
        a = step(a, new Operation.AllocHwptPaging(1, 1, false, false, 2), new Result.Allocated(3));
        b = step(b, new Operation.AllocHwptPaging(1, 2, false, false, 1), new Result.Allocated(3));

        assertThat(a).isNotEqualTo(b);
        assertThat(Fingerprint.of(a)).isEqualTo(Fingerprint.of(b));
    }

    @Test
    void differentStatesDiffer() {
        ModelState ioas = step(empty, new Operation.AllocIoas(1), new Result.Allocated(1));
        ModelState queue = step(empty, new Operation.AllocFaultQueue(1), new Result.Allocated(1));
        ModelState attached = step(ioas, new Operation.Attach(1, Pasid.NONE, 1), Result.done());
        ModelState otherDevice = step(ioas, new Operation.Attach(2, Pasid.NONE, 1), Result.done());

        assertThat(java.util.List.of(Fingerprint.of(empty), Fingerprint.of(ioas), Fingerprint.of(queue),
                Fingerprint.of(attached), Fingerprint.of(otherDevice))).doesNotHaveDuplicates();
    }

    @Test
    void theAllocPasidFlagCountsOnlyWhereADeviceCanIssuePasids() {
        ModelState ioas = step(empty, new Operation.AllocIoas(1), new Result.Allocated(1));
        ModelState plain = step(ioas, new Operation.AllocHwptPaging(1, 1, false, false, 0), new Result.Allocated(2));
        ModelState flagged = step(ioas, new Operation.AllocHwptPaging(1, 1, false, true, 0), new Result.Allocated(2));

        assertThat(Fingerprint.of(flagged)).isEqualTo(Fingerprint.of(plain));
        assertThat(Fingerprint.keepingEveryFlag(flagged)).isNotEqualTo(Fingerprint.keepingEveryFlag(plain));
    }
}
