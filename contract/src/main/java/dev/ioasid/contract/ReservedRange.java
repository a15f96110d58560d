package dev.ioasid.contract;

/**
 * IOVA pages {@code [iova, iova + pages)} a device may not have mapped: the reserved regions its
 * IOMMU driver reports (an MSI window, RMRRs; the kernel's {@code iommu_get_resv_regions()}), which
 * iommufd reserves in the IOAS behind the device's RID attachment (RESV-1).
 */
public record ReservedRange(int iova, int pages) {

    /** Whether the range meets {@code [from, from + count)}. */
    public boolean meets(long from, long count) {
        return from < (long) iova + pages && iova < from + count;
    }

    /** The first page after the range. */
    public long end() {
        return (long) iova + pages;
    }
}
