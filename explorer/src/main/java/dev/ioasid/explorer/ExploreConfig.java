package dev.ioasid.explorer;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.model.Design;
import dev.ioasid.model.FaultDelivery;
import java.util.List;

/**
 * What to explore: the bounds, the fault-routing design, how many distinct states at most, how
 * many threads, how many page requests a group may hold (1 or more: a longer group is not sent), and
 * whether to apply the partial-order reduction (on by default: it visits the same states), and when
 * page request groups reach their handler (atomic by default; {@link FaultDelivery}).
 *
 * <p>The default bounds are rich enough for every design variant to show what it breaks and small
 * enough to explore to the end in well under a minute: one VM with a PASID set; a vfio-pci and a
 * vDPA device with PRI and no PASIDs; room for an IOAS, a nest-parent HWPT, a fault queue and a
 * nested HWPT; one page of everything; single-request groups. There is no mdev device: the model
 * routes an mdev device's faults exactly as a vDPA device's in every design (only vfio-pci
 * registers a forwarder), so it would multiply the states (by about 5) and show nothing new.
 * Multi-request groups (PRQ-1) are explored with {@code groupRequests} 2 on the smaller
 * {@link #oneQueueBounds()}.
 */
public record ExploreConfig(Bounds bounds, Design design, long maxStates, int threads, int groupRequests,
                            boolean reduction, FaultDelivery delivery) {

    public static final int DEFAULT_GROUP_REQUESTS = 1;

    public ExploreConfig {
        if (maxStates < 1 || threads < 1 || groupRequests < 1) {
            throw new IllegalArgumentException("maxStates, threads and groupRequests must be at least 1");
        }
    }

    /** Atomic fault delivery, the model implementations are checked against. */
    public ExploreConfig(Bounds bounds, Design design, long maxStates, int threads, int groupRequests, boolean reduction) {
        this(bounds, design, maxStates, threads, groupRequests, reduction, FaultDelivery.ATOMIC);
    }

    public ExploreConfig(Bounds bounds, Design design, long maxStates, int threads, int groupRequests) {
        this(bounds, design, maxStates, threads, groupRequests, true);
    }

    public ExploreConfig(Bounds bounds, Design design, long maxStates, int threads) {
        this(bounds, design, maxStates, threads, DEFAULT_GROUP_REQUESTS);
    }

    public static Bounds defaultBounds() {
        return Bounds.small();
    }

    /**
     * The default bounds without room for nesting: an IOAS, a fault queue and an HWPT with it. Small
     * enough to explore to the end with two-request groups (bounds/explore-one-queue.json holds the same).
     */
    public static Bounds oneQueueBounds() {
        return new Bounds(1, 1, 1, List.of(
                new DeviceSpec(1, 1, 0, true, DriverKind.VFIO_PCI),
                new DeviceSpec(2, 1, 0, true, DriverKind.VDPA)),
                1, 1, 3, 0, 1, 1);
    }

    /**
     * Bounds conformance checks by default, one after the other, each small enough to reach the depth
     * its bugs need, with the states it may expand: the explorer's (nesting, a fault queue, two
     * devices), one with PASIDs on two devices, a second VM and an mm (sets, a PASID two devices hold,
     * SVA, lookups across VMs), one with two IOVA and host pages whose device reserves the second
     * under iommufd (areas that can be cut, RESV-*), and one for the cache (a device without page
     * requests, explored to the end).
     */
    public static java.util.List<Named> conformanceBounds() {
        return java.util.List.of(
                new Named("nesting and a fault queue", defaultBounds(), 40_000),
                new Named("PASIDs, two VMs and an mm", new Bounds(2, 2, 2, List.of(
                        new DeviceSpec(1, 1, 2, true, DriverKind.VFIO_PCI, false, true),
                        new DeviceSpec(2, 1, 2, false, DriverKind.VDPA)), 1, 1, 2, 1, 1, 1), 30_000),
                new Named("two IOVA pages", new Bounds(1, 1, 1, List.of(new DeviceSpec(1, 1, 0, true, DriverKind.VFIO_PCI,
                        false, false, false, List.of(new dev.ioasid.contract.ReservedRange(1, 1)))),
                        2, 2, 3, 0, 1, 1), 30_000),
                new Named("the IOTLB", new Bounds(1, 1, 1, List.of(new DeviceSpec(1, 1, 0, false, DriverKind.VFIO_PCI)),
                        1, 1, 3, 0, 1, 1), 60_000));
    }

    /** Bounds with a name for people and the states conformance expands on them by default. */
    public record Named(String name, Bounds bounds, long maxStates) {
    }

    public static ExploreConfig defaults() {
        return new ExploreConfig(defaultBounds(), Design.PAGE_TABLE_OWNER, 20_000_000, 2);
    }

    public ExploreConfig with(Design design) {
        return new ExploreConfig(bounds, design, maxStates, threads, groupRequests, reduction, delivery);
    }

    public ExploreConfig withMaxStates(long maxStates) {
        return new ExploreConfig(bounds, design, maxStates, threads, groupRequests, reduction, delivery);
    }

    public ExploreConfig withGroupRequests(int groupRequests) {
        return new ExploreConfig(bounds, design, maxStates, threads, groupRequests, reduction, delivery);
    }

    /** With page request groups reaching their handler as {@code delivery} says ({@link FaultDelivery}). */
    public ExploreConfig with(FaultDelivery delivery) {
        return new ExploreConfig(bounds, design, maxStates, threads, groupRequests, reduction, delivery);
    }

    /** The model's initial state under this configuration. */
    public dev.ioasid.model.ModelState initialState() {
        return dev.ioasid.model.Model.initial(bounds, design, delivery);
    }

    /** With or without the partial-order reduction (sleep sets; see {@link Explorer}): same states, fewer steps. */
    public ExploreConfig withReduction(boolean reduction) {
        return new ExploreConfig(bounds, design, maxStates, threads, groupRequests, reduction, delivery);
    }
}
