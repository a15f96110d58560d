package dev.ioasid.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.contract.Operation;
import dev.ioasid.model.Design;
import dev.ioasid.model.FaultDelivery;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The explorer under interleaved fault delivery (a completed group waits in the page request queue
 * until deliverFault): the contract (with FLT-8's drain) holds in every interleaving, the same
 * contract without the drain is refuted with a shortest trace, the rival routing designs are refuted
 * under interleaving too, and the reduction and the thread count change nothing.
 */
class InterleavedDeliveryTests {

    /** One VM, a vfio-pci device with PRI, room for an IOAS, a fault queue and a paging HWPT with it. */
    static Bounds oneDeviceWithQueue() {
        return new Bounds(1, 1, 1, List.of(new DeviceSpec(1, 1, 0, true, DriverKind.VFIO_PCI)), 1, 1, 3, 0, 1, 1);
    }

    /** The same with a vDPA device, whose groups a driver-registered forwarder would lose. */
    static Bounds vdpaWithQueue() {
        return new Bounds(1, 1, 1, List.of(new DeviceSpec(1, 1, 0, true, DriverKind.VDPA)), 1, 1, 3, 0, 1, 1);
    }

    static ExploreConfig config(Bounds bounds, Design design, FaultDelivery delivery) {
        return new ExploreConfig(bounds, design, 5_000_000, 2, 1, true, delivery);
    }

    @Test
    void withTheDrainEveryInterleavingKeepsEveryInvariant() {
        ExploreResult atomic = Explorer.explore(config(oneDeviceWithQueue(), Design.PAGE_TABLE_OWNER, FaultDelivery.ATOMIC),
                line -> { });
        ExploreResult interleaved = Explorer.explore(config(oneDeviceWithQueue(), Design.PAGE_TABLE_OWNER,
                FaultDelivery.INTERLEAVED), line -> { });

        assertThat(interleaved).isInstanceOf(ExploreResult.Holds.class);
        // Every atomic state has an interleaved twin (its groups delivered), and queued groups add more.
        assertThat(interleaved.stats().states()).isGreaterThan(atomic.stats().states());
        assertThat(interleaved.stats().depth()).isGreaterThan(atomic.stats().depth());
    }

    @Test
    void withoutTheDrainAQueuedGroupOutlivesItsPointsDetach() {
        ExploreResult.Violated v = (ExploreResult.Violated) Explorer.explore(config(oneDeviceWithQueue(),
                Design.PAGE_TABLE_OWNER, FaultDelivery.INTERLEAVED_NO_DRAIN), line -> { });

        assertThat(v.invariant().name()).isEqualTo("no group waits in the page request queue past a detach or replace of its point");
        assertThat(v.trace()).hasSize(4);
        assertThat(v.trace().stream().map(s -> s.op().getClass().getSimpleName()).toList())
                .contains("PageRequest", "Attach", "Detach");
        assertThat(v.trace().get(3).op()).isInstanceOf(Operation.Detach.class);
        assertThat(v.violation()).contains("after its point was detached or replaced");
    }

    @Test
    void theRivalDesignsAreRefutedUnderInterleavingToo() {
        ExploreResult.Violated lost = (ExploreResult.Violated) Explorer.explore(config(vdpaWithQueue(),
                Design.DRIVER_REGISTERS, FaultDelivery.INTERLEAVED), line -> { });
        assertThat(lost.invariant().name()).isEqualTo("every completed group is held by its owner or answered");
        assertThat(routesAQueuedGroup(lost.trace().get(lost.trace().size() - 1).op())).as("%s", lost.trace()).isTrue();

        ExploreResult.Violated twice = (ExploreResult.Violated) Explorer.explore(config(oneDeviceWithQueue(),
                Design.BOTH_REGISTER, FaultDelivery.INTERLEAVED), line -> { });
        assertThat(twice.invariant().name()).isEqualTo("every group has exactly one owner and is answered at most once");
        assertThat(routesAQueuedGroup(twice.trace().get(twice.trace().size() - 1).op())).as("%s", twice.trace()).isTrue();
    }

    /** Where a queued group is routed, so where a routing design's fault shows: a delivery, or a detach's drain. */
    private static boolean routesAQueuedGroup(Operation op) {
        return op instanceof Operation.DeliverFault || op instanceof Operation.Detach || op instanceof Operation.Replace;
    }

    /** The page request queue changes what commutes: the reduction must still visit the very same states. */
    @Test
    void theReductionAndTheThreadCountChangeNothingUnderInterleaving() {
        for (FaultDelivery delivery : List.of(FaultDelivery.INTERLEAVED, FaultDelivery.INTERLEAVED_NO_DRAIN)) {
            for (Bounds bounds : List.of(oneDeviceWithQueue(), ExploreConfig.oneQueueBounds())) {
                ExploreConfig config = config(bounds, Design.PAGE_TABLE_OWNER, delivery).withMaxStates(60_000);
                ExploreResult reduced = Explorer.explore(config, line -> { });
                ExploreResult full = Explorer.explore(config.withReduction(false), line -> { });
                ExploreResult oneThread = Explorer.explore(new ExploreConfig(bounds, Design.PAGE_TABLE_OWNER, 60_000, 1, 1,
                        true, delivery), line -> { });
                String what = delivery + " on " + bounds;

                assertThat(reduced.stats().states()).as(what).isEqualTo(full.stats().states());
                assertThat(reduced.stats().checksum()).as(what).isEqualTo(full.stats().checksum());
                assertThat(reduced.stats().depth()).as(what).isEqualTo(full.stats().depth());
                assertThat(oneThread.stats().checksum()).as(what).isEqualTo(reduced.stats().checksum());
                if (full instanceof ExploreResult.Violated v) {
                    assertThat(((ExploreResult.Violated) reduced).trace()).as(what).isEqualTo(v.trace());
                }
            }
        }
    }
}
