package dev.ioasid.mutants;

import java.util.List;
import java.util.Optional;

/** The planted bugs: every one must be caught, and shrunk to no more than its shortest trace. */
public final class Mutants {

    public static final List<Mutant> ALL = List.of(
            new Mutant("quota-off-by-one", "quota check uses > instead of >=", "PASID-2", 3,
                    PasidMutants.QuotaOffByOne::new),
            new Mutant("quota-not-returned", "freeing a set does not return its quota", "SET-6", 3,
                    PasidMutants.QuotaNotReturned::new),
            new Mutant("pasid-unique-per-set", "PASID values unique per set, not system-wide", "PASID-4", 4,
                    PasidMutants.PasidUniquePerSet::new),
            new Mutant("free-ignores-references", "free releases a PASID that attachments still hold", "PASID-6", 6,
                    PasidMutants.FreeIgnoresReferences::new),
            new Mutant("free-pending-reattached", "attach takes a new reference on a free-pending PASID", "PASID-8", 6,
                    AttachMutants.FreePendingReattached::new),
            new Mutant("attach-no-pasid-reference", "attach takes no reference on its PASID", "ATT-6", 5,
                    AttachMutants.AttachTakesNoPasidReference::new),
            new Mutant("attach-no-table-reference", "attach takes no reference on its table", "ATT-6", 3,
                    AttachMutants.AttachTakesNoTableReference::new),
            new Mutant("destroy-ignores-references", "destroy ignores the object's refcount", "OBJ-3", 3,
                    ObjectMutants.DestroyIgnoresReferences::new),
            new Mutant("cross-vm-lookup", "object lookup falls back to other VMs' namespaces", "OBJ-1", 2,
                    ObjectMutants.CrossVmLookup::new),
            new Mutant("partial-unmap-allowed", "unmap of a range that cuts an area removes the area", "IOAS-5", 3,
                    ObjectMutants.PartialUnmapAllowed::new),
            new Mutant("mirror-kept-after-unmap", "unmap leaves the PTEs in the paging domains", "HWPT-2", 5,
                    ObjectMutants.MirrorKeptAfterUnmap::new),
            new Mutant("nested-on-any-parent", "nesting accepted on a parent without NEST_PARENT", "HWPT-4", 3,
                    ObjectMutants.NestedOnAnyParent::new),
            new Mutant("replace-not-atomic", "replace is detach then attach; a refused table leaves nothing",
                    "ATT-8", 4, AttachMutants.ReplaceNotAtomic::new),
            new Mutant("stage2-to-user-queue", "stage-2 faults delivered to the nested table's user queue", "PRQ-5", 8,
                    FaultMutants.Stage2ToUserQueue::new),
            new Mutant("group-to-two-owners", "a group goes to the queue and is answered by the kernel too", "PRQ-4", 6,
                    FaultMutants.GroupToTwoOwners::new),
            new Mutant("no-response-on-detach", "detach does not answer the groups the old owner holds", "FLT-5", 7,
                    FaultMutants.NoResponseOnDetach::new),
            new Mutant("response-before-failed-replace", "replace answers the groups before it checks the new table",
                    "FLT-5", 7, FaultMutants.ResponseBeforeFailedReplace::new),
            new Mutant("partial-kept-on-detach", "a partial group survives detach and reaches the next owner", "FLT-5", 8,
                    FaultMutants.PartialKeptOnDetach::new),
            new Mutant("cookie-reusable", "a cookie stays valid after its response", "FLT-3", 8,
                    FaultMutants.CookieReusable::new),
            new Mutant("partial-group-delivered", "requests are handled before their group's last one", "PRQ-1", 2,
                    FaultMutants.PartialGroupDelivered::new),
            new Mutant("sva-unmapped-success", "SVA faults answered SUCCESS for pages the process does not map", "PRQ-6",
                    6, FaultMutants.SvaUnmappedSuccess::new),
            new Mutant("iotlb-kept-after-unmap", "unmap does not flush the IOTLB", "XLT-2", 6,
                    FaultMutants.IotlbKeptAfterUnmap::new),
            new Mutant("invalidate-not-flushed", "stage-1 invalidate does not flush the IOTLB", "XLT-5", 10,
                    FaultMutants.InvalidateNotFlushed::new),
            new Mutant("auto-domain-kept", "iommufd: the automatic domain outlives its last attachment", "ATT-13", 4,
                    AttachMutants.AutoDomainKept::new),
            new Mutant("invalidate-length-as-end", "stage-1 invalidate takes its length for the end of the range", "XLT-5",
                    10, FaultMutants.InvalidateLengthAsEnd::new),
            new Mutant("mm-unmap-not-flushed", "the mmu notifier does not flush SVA translations", "SVA-3", 8,
                    FaultMutants.MmUnmapNotFlushed::new),
            new Mutant("viommu-on-any-hwpt", "iommufd: a vIOMMU accepted on a paging HWPT without NEST_PARENT",
                    "VIOMMU-1", 3, ViommuMutants.ViommuOnAnyHwpt::new),
            new Mutant("vdevice-id-kept", "iommufd: a destroyed vDEVICE's virtual ID stays taken in its vIOMMU",
                    "VIOMMU-2", 6, ViommuMutants.VdeviceIdKept::new),
            new Mutant("vdevice-no-viommu-reference", "iommufd: a vDEVICE takes no reference on its vIOMMU",
                    "VIOMMU-2", 5, ViommuMutants.VdeviceNoViommuReference::new),
            new Mutant("vdevice-any-iommu", "iommufd: a vDEVICE accepted for a device behind another IOMMU",
                    "VIOMMU-2", 4, ViommuMutants.VdeviceAnyIommu::new),
            new Mutant("nested-holds-parent-not-viommu",
                    "iommufd: a nested HWPT on a vIOMMU holds the parent HWPT, not the vIOMMU", "VIOMMU-3", 5,
                    ViommuMutants.NestedHoldsParentNotViommu::new),
            new Mutant("viommu-invalidate-wrong-device",
                    "iommufd: the vIOMMU invalidation takes the virtual ID for the physical device", "VIOMMU-4", 12,
                    ViommuMutants.ViommuInvalidateWrongDevice::new),
            new Mutant("copy-not-mirrored", "iommufd: IOAS copy does not fill the destination's paging domains",
                    "IOAS-10", 5, ObjectMutants.CopyNotMirrored::new),
            new Mutant("copy-ignores-read-only-pages", "iommufd: IOAS copy makes a writable copy of read-only pages",
                    "IOAS-10", 3, ObjectMutants.CopyIgnoresReadOnlyPages::new),
            new Mutant("dirty-read-not-cleared", "iommufd: a dirty bitmap read does not clear the bits it read",
                    "DIRTY-4", 8, ObjectMutants.DirtyReadNotCleared::new),
            new Mutant("dirty-enable-keeps-bits", "iommufd: enabling dirty tracking keeps the bits set before",
                    "DIRTY-3", 8, ObjectMutants.DirtyEnableKeepsBits::new),
            new Mutant("dirty-attach-unchecked",
                    "iommufd: a dirty-tracking HWPT attaches to a device whose IOMMU cannot track dirty pages",
                    "DIRTY-2", 3, AttachMutants.DirtyAttachUnchecked::new));

    private Mutants() {
    }

    public static Optional<Mutant> byName(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
