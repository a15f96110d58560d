package dev.ioasid.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * Who handles a completed page request group: the contract's design and the variants debated in
 * 2021, which the explorer checks against the same invariants.
 */
public enum Design {
    /** The contract: the page table's owner for the level that faulted (PRQ-3..6). */
    PAGE_TABLE_OWNER("page-table-owner"),
    /** The (device, PASID) attachment's queue gets the group whatever level faulted: hardware that cannot tell stages apart. */
    ROUTE_BY_ATTACHMENT("route-by-attachment"),
    /** Only drivers that registered a forwarder (vfio-pci) deliver faults; vdpa and mdev devices lose them. */
    DRIVER_REGISTERS("driver-registers"),
    /** The driver's handler and the page table's handler both get the group. */
    BOTH_REGISTER("both-register");

    private final String cliName;

    Design(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Optional<Design> byName(String name) {
        return Arrays.stream(values()).filter(d -> d.cliName.equals(name)).findFirst();
    }
}
