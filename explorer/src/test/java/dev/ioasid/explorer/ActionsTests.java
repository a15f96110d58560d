package dev.ioasid.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.contract.Operation;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The operations the explorer leaves out of its fixed list must really be pointless: checked on
 * every state a breadth-first walk of a few bounds reaches (a budget of states each).
 */
class ActionsTests {
    private static final int BUDGET = 20_000;

    @Test
    void leftOutOperationsNeverChangeTheStateOrDuplicateATwinAndSkippedSuccessorsAreTheirParent() {
        Bounds pasidCapable = new Bounds(1, 2, 1, List.of(new DeviceSpec(1, 1, 2, true, DriverKind.VFIO_PCI),
                new DeviceSpec(2, 1, 0, true, DriverKind.VDPA)), 1, 1, 3, 0, 1, 1);
        for (Bounds bounds : List.of(ExplorerTests.tiny(), ExplorerTests.withQueue(), pasidCapable)) {
            int[] checked = walk(bounds);
            assertThat(checked[0]).as("states walked for %s", bounds).isGreaterThan(500);
            assertThat(checked[1]).as("operations left out in %s", bounds).isGreaterThan(0);
            assertThat(checked[2]).as("successors found unchanged in %s", bounds).isGreaterThan(0);
        }
    }

    @Test
    void theFlagIsKeptWhereADeviceCanIssuePasids() {
        Bounds pasidCapable = new Bounds(1, 2, 1, List.of(new DeviceSpec(1, 1, 2, true, DriverKind.VFIO_PCI)),
                1, 1, 3, 0, 1, 1);
        Operation flagged = new Operation.AllocHwptPaging(1, 1, false, true, 0);

        assertThat(Actions.sameStateAsWithoutPasidFlag(pasidCapable, flagged)).isFalse();
        assertThat(Actions.sameStateAsWithoutPasidFlag(ExplorerTests.withQueue(), flagged)).isTrue();
        assertThat(Actions.neverChangesTheState(pasidCapable, new Operation.Attach(1, 1, 1))).isFalse();
        assertThat(Actions.neverChangesTheState(pasidCapable, new Operation.Attach(1, 2, 1))).isTrue();
    }

    /**
     * Where there is only IOVA 0 the explorer leaves allowIovas out: an allowed range there changes
     * what no call ever answers. Checked on the first states of an iommufd walk: every call, queries
     * included, answers the same with and without an allowed range on each IOAS.
     */
    @Test
    void anAllowedRangeIsUnobservableWhereNoIovaCanBeChosen() {
        Bounds bounds = ExplorerTests.withQueue().withProfile(dev.ioasid.contract.Profile.IOMMUFD);
        assertThat(bounds.iovaPages()).isLessThan(2);
        ModelState initial = Model.initial(bounds);
        ArrayDeque<ModelState> queue = new ArrayDeque<>(List.of(initial));
        Set<Long> seen = new HashSet<>(List.of(Fingerprint.of(initial)));
        int compared = 0;
        for (int states = 0; !queue.isEmpty() && states < 300; states++) {
            ModelState s = queue.poll();
            ModelState allowed = s;
            for (int id = 1; id <= bounds.maxObjects(); id++) {
                if (allowed.object(1, id).getOrNull() instanceof dev.ioasid.model.ModelObject.Ioas) {
                    allowed = next(allowed, new Operation.AllowIovas(1, id, 0, 1));
                }
            }
            for (Operation op : Actions.of(s, true, 1)) {
                if (!(op instanceof Operation.AllowIovas)) {
                    assertThat(Model.step(allowed, op).canonical().result()).as("%s in %s", op, s)
                            .isEqualTo(Model.step(s, op).canonical().result());
                    compared++;
                }
            }
            for (Operation op : Actions.forExploration(s, 1)) {
                ModelState after = next(s, op);
                if (seen.add(Fingerprint.of(after))) {
                    queue.add(after);
                }
            }
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(Actions.unobservableAllowedRange(bounds, new Operation.AllowIovas(1, 1, 0, 1))).isTrue();
        assertThat(Actions.unobservableAllowedRange(Bounds.defaults(), new Operation.AllowIovas(1, 1, 0, 1))).isFalse();
    }

    /**
     * Walks the bounds and checks every left-out operation in every state, and that every successor the
     * explorer skips as unchanged has its parent's fingerprint; returns {states, checks, unchanged}.
     */
    private static int[] walk(Bounds bounds) {
        ModelState initial = Model.initial(bounds);
        ArrayDeque<ModelState> queue = new ArrayDeque<>(List.of(initial));
        Set<Long> seen = new HashSet<>(List.of(Fingerprint.of(initial)));
        int states = 0;
        int checks = 0;
        int unchanged = 0;
        while (!queue.isEmpty() && states < BUDGET) {
            ModelState s = queue.poll();
            states++;
            for (Operation op : Actions.of(s, false, 2)) {
                if (Actions.neverChangesTheState(bounds, op)) {
                    assertThat(next(s, op)).as("%s in %s", op, s).isSameAs(s);
                    checks++;
                } else if (Actions.sameStateAsWithoutPasidFlag(bounds, op)) {
                    assertThat(Fingerprint.of(next(s, op))).as("%s in %s", op, s)
                            .isEqualTo(Fingerprint.of(next(s, withoutFlag(op))));
                    checks++;
                }
            }
            for (Operation op : Actions.forExploration(s, 2)) {
                ModelState after = next(s, op);
                if (Fingerprint.unchangedFrom(s, after)) {
                    assertThat(Fingerprint.of(after)).as("%s in %s", op, s).isEqualTo(Fingerprint.of(s));
                    unchanged++;
                }
                if (seen.add(Fingerprint.of(after))) {
                    queue.add(after);
                }
            }
        }
        return new int[] {states, checks, unchanged};
    }

    private static ModelState next(ModelState s, Operation op) {
        return Model.step(s, op).steps().head().next();
    }

    private static Operation withoutFlag(Operation op) {
        if (op instanceof Operation.AllocHwptPaging h) {
            return new Operation.AllocHwptPaging(h.vm(), h.ioas(), h.nestParent(), false, h.fault());
        }
        Operation.AllocHwptNested n = (Operation.AllocHwptNested) op;
        return new Operation.AllocHwptNested(n.vm(), n.parent(), false, n.fault());
    }
}
