package dev.ioasid.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
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

    /**
     * Two IOASes, each with a paging HWPT, the same areas in both, and a device on one of the HWPTs:
     * which one only its links tell, so ranking objects by what they are alone leaves the two IOASes
     * tied. The renumbering is canonical all the same (ties are tried in every order).
     */
    @Test
    void renumberingsAreOneStateWhenOnlyLinksTellObjectsApart() {
        Bounds bounds = ExploreConfig.defaultBounds();
        ModelState both = Model.initial(bounds);
        for (Operation op : java.util.List.<Operation>of(
                new Operation.AllocIoas(1), new Operation.AllocHwptPaging(1, 1, false, false, 0),
                new Operation.AllocIoas(1), new Operation.AllocHwptPaging(1, 3, false, false, 0),
                new Operation.MapArea(1, 1, 0, 1, 0, Access.READ), new Operation.MapArea(1, 3, 0, 1, 0, Access.READ))) {
            both = Model.step(both, op).canonical().next();
        }
        ModelState onTheFirst = step(both, new Operation.Attach(1, Pasid.NONE, 2), Result.done());
        ModelState onTheSecond = step(both, new Operation.Attach(1, Pasid.NONE, 4), Result.done());

        assertThat(onTheFirst).isNotEqualTo(onTheSecond);
        assertThat(Fingerprint.of(onTheFirst)).isEqualTo(Fingerprint.of(onTheSecond));
    }

    /**
     * Every renumbering of the objects of the states a breadth-first search of the default bounds
     * meets first (depth 7 and more: two IOASes with an HWPT each, one attached, is there) has the
     * state's fingerprint.
     */
    @Test
    void everyRenumberingOfAReachedStateHasItsFingerprint() {
        java.util.Random random = new java.util.Random(3);
        ModelState initial = Model.initial(ExploreConfig.defaultBounds());
        java.util.List<ModelState> level = java.util.List.of(initial);
        java.util.Set<Long> seen = new java.util.HashSet<>(java.util.List.of(Fingerprint.of(initial)));
        int renumbered = 0;
        while (seen.size() < 60_000) {
            java.util.List<ModelState> next = new java.util.ArrayList<>();
            for (ModelState s : level) {
                ModelState other = Renumbering.random(s, random);
                assertThat(Fingerprint.of(other)).as("%s renumbered as %s", s, other).isEqualTo(Fingerprint.of(s));
                renumbered += other.equals(s) ? 0 : 1;
                for (Operation op : Actions.forExploration(s, 1)) {
                    ModelState n = Model.step(s, op).canonical().next();
                    if (seen.add(Fingerprint.of(n))) {
                        next.add(n);
                    }
                }
            }
            level = next;
        }
        assertThat(renumbered).isGreaterThan(10_000);
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
