package dev.ioasid.contract;

import java.util.List;

/**
 * A device of the configuration, assigned to one VM. {@code pasids} is how many PASID values the
 * device can issue (values {@code 1..pasids-1} plus the RID, as the kernel's {@code max_pasids}); 0
 * means the device has no PASID support. {@code userPasidTable}: the device's IOMMU driver lets the
 * guest own the PASID table (the kernel's {@code iommu_ops.user_pasid_table}, as ARM SMMUv3 and the
 * iommufd selftest's mock driver set it), so a PASID with nothing attached of its own goes through
 * the nested HWPT attached to the device's RID (PRQ-8); false when absent. {@code viommu}: the
 * device's IOMMU driver offers vIOMMUs (the kernel's {@code iommu_ops.viommu_init}, as ARM SMMUv3
 * and the selftest's mock driver do); such devices share one IOMMU instance, the others sit behind
 * IOMMUs of their own (VIOMMU-1, VIOMMU-2); false when absent. {@code dirtyTracking}: the device's
 * IOMMU tracks dirty pages (DIRTY-2); false when absent. {@code reserved}: the IOVA ranges the device's
 * IOMMU driver reserves (RESV-1; under iommufd only); none when absent.
 */
public record DeviceSpec(int id, int vm, int pasids, boolean pri, DriverKind driver, @MayBeAbsent Boolean userPasidTable,
                         @MayBeAbsent Boolean viommu, @MayBeAbsent Boolean dirtyTracking,
                         @MayBeAbsent List<ReservedRange> reserved) {

    public DeviceSpec {
        if (userPasidTable == null) {
            userPasidTable = false;
        }
        if (viommu == null) {
            viommu = false;
        }
        if (dirtyTracking == null) {
            dirtyTracking = false;
        }
        if (reserved == null) {
            reserved = List.of();
        }
        for (int i = 0; i < reserved.size(); i++) {
            if (reserved.get(i) == null) {
                throw new IllegalArgumentException("reserved[" + i + "] is missing");
            }
        }
        reserved = List.copyOf(reserved);
    }

    /** A device without reserved IOVA ranges. */
    public DeviceSpec(int id, int vm, int pasids, boolean pri, DriverKind driver, Boolean userPasidTable,
                      Boolean viommu, Boolean dirtyTracking) {
        this(id, vm, pasids, pri, driver, userPasidTable, viommu, dirtyTracking, List.of());
    }

    /** A device whose driver keeps the PASID table in the host (the common case), without vIOMMUs. */
    public DeviceSpec(int id, int vm, int pasids, boolean pri, DriverKind driver) {
        this(id, vm, pasids, pri, driver, false, false, false);
    }

    /** A device without vIOMMUs. */
    public DeviceSpec(int id, int vm, int pasids, boolean pri, DriverKind driver, Boolean userPasidTable) {
        this(id, vm, pasids, pri, driver, userPasidTable, false, false);
    }

    /** A device whose IOMMU has no dirty tracking. */
    public DeviceSpec(int id, int vm, int pasids, boolean pri, DriverKind driver, Boolean userPasidTable,
                      Boolean viommu) {
        this(id, vm, pasids, pri, driver, userPasidTable, viommu, false);
    }

    /**
     * Whether the device's IOMMU tracks dirty pages (the kernel's IOMMU_CAP_DIRTY_TRACKING): a
     * dirty-tracking HWPT attaches only to such a device (DIRTY-2).
     */
    public boolean dirtyTrackingCapable() {
        return dirtyTracking;
    }

    /** The same device with these reserved IOVA ranges. */
    public DeviceSpec withReserved(List<ReservedRange> ranges) {
        return new DeviceSpec(id, vm, pasids, pri, driver, userPasidTable, viommu, dirtyTracking, ranges);
    }

    /** Whether a reserved range of the device meets IOVA pages {@code [from, from + count)}. */
    public boolean reserves(long from, long count) {
        for (ReservedRange r : reserved) {
            if (r.meets(from, count)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the device's IOMMU driver offers vIOMMUs (VIOMMU-1). */
    public boolean viommuCapable() {
        return viommu;
    }

    /** Whether the guest owns the PASID table (PRQ-8). */
    public boolean guestPasidTable() {
        return userPasidTable;
    }

    public boolean pasidCapable() {
        return pasids > 0;
    }

    /** Whether the device can issue this PASID value (the kernel's {@code pasid >= max_pasids} check). */
    public boolean canIssue(int pasid) {
        return pasid < pasids;
    }
}
