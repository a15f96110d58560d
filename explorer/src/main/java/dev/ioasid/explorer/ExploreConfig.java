package dev.ioasid.explorer;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.model.Design;
import java.util.List;

/**
 * What to explore: the bounds, the fault-routing design, how many distinct states at most, and how
 * many threads. The default bounds are small enough to explore in well under a minute and rich
 * enough for every design variant to show what it breaks: one VM with a PASID; a vfio-pci and a
 * vDPA device with PRI and PASIDs, an mdev device without; room for an IOAS, a nest-parent HWPT, a
 * fault queue and a nested HWPT; one page of everything.
 */
public record ExploreConfig(Bounds bounds, Design design, long maxStates, int threads) {

    public ExploreConfig {
        if (maxStates < 1 || threads < 1) {
            throw new IllegalArgumentException("maxStates and threads must be at least 1");
        }
    }

    public static Bounds defaultBounds() {
        return new Bounds(1, 1, 1, List.of(
                new DeviceSpec(1, 1, 0, true, DriverKind.VFIO_PCI),
                new DeviceSpec(2, 1, 0, true, DriverKind.VDPA)),
                1, 1, 4, 0, 1, 1);
    }

    /**
     * The default bounds without room for nesting: an IOAS, a fault queue and an HWPT with it. Small
     * enough to explore to the end (bounds/explore-one-queue.json holds the same).
     */
    public static Bounds oneQueueBounds() {
        return new Bounds(1, 1, 1, List.of(
                new DeviceSpec(1, 1, 0, true, DriverKind.VFIO_PCI),
                new DeviceSpec(2, 1, 0, true, DriverKind.VDPA)),
                1, 1, 3, 0, 1, 1);
    }

    public static ExploreConfig defaults() {
        return new ExploreConfig(defaultBounds(), Design.PAGE_TABLE_OWNER, 20_000_000, 2);
    }

    public ExploreConfig with(Design design) {
        return new ExploreConfig(bounds, design, maxStates, threads);
    }

    public ExploreConfig withMaxStates(long maxStates) {
        return new ExploreConfig(bounds, design, maxStates, threads);
    }
}
