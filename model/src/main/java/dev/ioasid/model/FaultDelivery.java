package dev.ioasid.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * When a completed page request group reaches its handler. The contract's model is atomic: the
 * group is routed the moment its last request arrives. The interleaved modes split that in two, as
 * hardware and the kernel do: the device completes the group into the IOMMU's page request queue,
 * and later the IOMMU driver's handler takes it from there and routes it (a
 * {@link dev.ioasid.contract.Operation.DeliverFault}), so that any call can come between; they
 * differ in what a detach or replace does with the point's groups still queued (FLT-8).
 */
public enum FaultDelivery {
    /** Routed when completed (PRQ-2): the default, and what implementations are checked against. */
    ATOMIC("atomic"),
    /** Queued, then routed by the driver; a detach or replace first drains the point's queued groups (FLT-8). */
    INTERLEAVED("interleaved"),
    /** Queued, then routed by the driver; a detach or replace leaves the point's queued groups behind. */
    INTERLEAVED_NO_DRAIN("interleaved-no-drain");

    private final String cliName;

    FaultDelivery(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether completed groups wait in the page request queue until delivered. */
    public boolean queues() {
        return this != ATOMIC;
    }

    /** Whether a detach or replace routes the point's queued groups before it takes the table away. */
    public boolean drainsOnDetach() {
        return this == INTERLEAVED;
    }

    public static Optional<FaultDelivery> byName(String name) {
        return Arrays.stream(values()).filter(d -> d.cliName.equals(name)).findFirst();
    }
}
