package dev.ioasid.contract;

/**
 * Every call of the contract, one record per operation, each printing like the call it is. Object,
 * PASID and device arguments are plain ints drawn from {@link Bounds}; {@code 0} means "none" for an
 * optional object (a fault queue) and for the PASID of an attach point ({@link Pasid#NONE}, the RID).
 * Operations are always applicable: a bad argument is the contract's business and yields an errno.
 */
public sealed interface Operation {

    /**
     * Whether the operation names a VM, device or mm that the bounds do not have (GEN-1). A method
     * rather than type tests on the sub-interfaces: interface type tests are slow on hot paths.
     */
    boolean namesOutOfBounds(Bounds bounds);

    /** An operation that acts for the set and object namespace of VM {@code vm}. */
    sealed interface VmOp extends Operation {
        int vm();

        @Override
        default boolean namesOutOfBounds(Bounds bounds) {
            return !bounds.isVm(vm());
        }
    }

    // ---- Layer A: sets and PASIDs --------------------------------------------------------------

    /** Creates the IOASID set of VM {@code vm} with a quota ({@code 0}: all that is left). */
    record CreateSet(int vm, int quota) implements VmOp {
        @Override public String toString() { return "createSet(vm=" + vm + ", quota=" + quota + ")"; }
    }

    record FreeSet(int vm) implements VmOp {
        @Override public String toString() { return "freeSet(vm=" + vm + ")"; }
    }

    /** Observes a set: its quota and how many PASIDs it holds. */
    record QuerySet(int vm) implements VmOp {
        @Override public String toString() { return "querySet(vm=" + vm + ")"; }
    }

    record AllocPasid(int vm, int min, int max) implements VmOp {
        @Override public String toString() { return "allocPasid(vm=" + vm + ", min=" + min + ", max=" + max + ")"; }
    }

    record FreePasid(int vm, int pasid) implements VmOp {
        @Override public String toString() { return "freePasid(vm=" + vm + ", pasid=" + pasid + ")"; }
    }

    /** Observes a PASID: its state and reference count. */
    record QueryPasid(int vm, int pasid) implements VmOp {
        @Override public String toString() { return "queryPasid(vm=" + vm + ", pasid=" + pasid + ")"; }
    }

    // ---- Layer B: objects ----------------------------------------------------------------------

    record AllocIoas(int vm) implements VmOp {
        @Override public String toString() { return "allocIoas(vm=" + vm + ")"; }
    }

    /**
     * A kernel-managed paging HWPT built from IOAS {@code ioas}; {@code fault} 0 means no fault queue.
     * {@code dirtyTracking} (iommufd's IOMMU_HWPT_ALLOC_DIRTY_TRACKING) is absent from a file when false.
     */
    record AllocHwptPaging(int vm, int ioas, boolean nestParent, boolean allocPasid, int fault,
                           @MayBeAbsent boolean dirtyTracking) implements VmOp {
        public AllocHwptPaging(int vm, int ioas, boolean nestParent, boolean allocPasid, int fault) {
            this(vm, ioas, nestParent, allocPasid, fault, false);
        }

        @Override public String toString() {
            String flags = Flags.show(nestParent, allocPasid);
            if (dirtyTracking) {
                flags = flags.equals("0") ? "DIRTY_TRACKING" : flags + "|DIRTY_TRACKING";
            }
            return "allocHwptPaging(vm=" + vm + ", ioas=" + ioas + ", flags=" + flags + ", fault=" + Flags.showObject(fault)
                    + ")";
        }
    }

    /**
     * A user-managed stage-1 HWPT on top of {@code parent}: a NEST_PARENT paging HWPT, or under
     * iommufd a vIOMMU, whose HWPT is then the parent.
     */
    record AllocHwptNested(int vm, int parent, boolean allocPasid, int fault) implements VmOp {
        @Override public String toString() {
            return "allocHwptNested(vm=" + vm + ", parent=" + parent + ", flags=" + Flags.show(false, allocPasid)
                    + ", fault=" + Flags.showObject(fault) + ")";
        }
    }

    record AllocFaultQueue(int vm) implements VmOp {
        @Override public String toString() { return "allocFaultQueue(vm=" + vm + ")"; }
    }

    /** An SVA domain binding process address space {@code mm}. */
    record AllocSva(int vm, int mm) implements VmOp {
        @Override public boolean namesOutOfBounds(Bounds bounds) { return !bounds.isVm(vm) || !bounds.isMm(mm); }

        @Override public String toString() { return "allocSva(vm=" + vm + ", mm=" + mm + ")"; }
    }

    record Destroy(int vm, int id) implements VmOp {
        @Override public String toString() { return "destroy(vm=" + vm + ", id=" + id + ")"; }
    }

    /** Observes an object: its kind and how many references it has. */
    record QueryObject(int vm, int id) implements VmOp {
        @Override public String toString() { return "queryObject(vm=" + vm + ", id=" + id + ")"; }
    }

    record MapArea(int vm, int ioas, int iova, int pages, int host, Access access) implements VmOp {
        @Override public String toString() {
            return "mapArea(vm=" + vm + ", ioas=" + ioas + ", iova=" + iova + ", pages=" + pages + ", host=" + host
                    + ", access=" + access + ")";
        }
    }

    /**
     * IOMMU_IOAS_MAP without IOMMU_IOAS_MAP_FIXED_IOVA (iommufd): the kernel chooses the IOVA, and
     * answers it ({@link Result.Mapped}).
     */
    record MapAreaAuto(int vm, int ioas, int pages, int host, Access access) implements VmOp {
        @Override public String toString() {
            return "mapAreaAuto(vm=" + vm + ", ioas=" + ioas + ", pages=" + pages + ", host=" + host + ", access=" + access
                    + ")";
        }
    }

    /**
     * IOMMU_IOAS_ALLOW_IOVAS (iommufd) with one range, or none ({@code pages} 0): where the kernel may
     * choose IOVAs for IOAS {@code ioas} from now on.
     */
    record AllowIovas(int vm, int ioas, int iova, int pages) implements VmOp {
        @Override public String toString() {
            return "allowIovas(vm=" + vm + ", ioas=" + ioas + (pages == 0 ? ", none" : ", iova=" + iova + ", pages=" + pages)
                    + ")";
        }
    }

    /**
     * IOMMU_IOAS_COPY with a fixed IOVA (iommufd): the pages mapped at {@code [srcIova, srcIova + pages)}
     * of IOAS {@code src} are mapped again at {@code iova} of IOAS {@code ioas}, with {@code access}.
     */
    record CopyArea(int vm, int ioas, int iova, int src, int srcIova, int pages, Access access) implements VmOp {
        @Override public String toString() {
            return "copyArea(vm=" + vm + ", ioas=" + ioas + ", iova=" + iova + ", src=" + src + ", srcIova=" + srcIova
                    + ", pages=" + pages + ", access=" + access + ")";
        }
    }

    /** IOMMU_HWPT_SET_DIRTY_TRACKING (iommufd): starts or stops dirty tracking of paging HWPT {@code hwpt}. */
    record SetDirtyTracking(int vm, int hwpt, boolean enable) implements VmOp {
        @Override public String toString() {
            return "setDirtyTracking(vm=" + vm + ", hwpt=" + hwpt + ", " + (enable ? "ENABLE" : "disable") + ")";
        }
    }

    /**
     * IOMMU_HWPT_GET_DIRTY_BITMAP (iommufd): the dirty IOVA pages of {@code [iova, iova + pages)} of
     * paging HWPT {@code hwpt}, cleared as they are read unless {@code noClear}.
     */
    record GetDirtyBitmap(int vm, int hwpt, int iova, int pages, boolean noClear) implements VmOp {
        @Override public String toString() {
            return "getDirtyBitmap(vm=" + vm + ", hwpt=" + hwpt + ", iova=" + iova + ", pages=" + pages
                    + (noClear ? ", NO_CLEAR" : "") + ")";
        }
    }

    record Unmap(int vm, int ioas, int iova, int pages) implements VmOp {
        @Override public String toString() {
            return "unmap(vm=" + vm + ", ioas=" + ioas + ", iova=" + iova + ", pages=" + pages + ")";
        }
    }

    record UnmapAll(int vm, int ioas) implements VmOp {
        @Override public String toString() { return "unmapAll(vm=" + vm + ", ioas=" + ioas + ")"; }
    }

    /** Observes the areas of an IOAS. */
    record QueryAreas(int vm, int ioas) implements VmOp {
        @Override public String toString() { return "queryAreas(vm=" + vm + ", ioas=" + ioas + ")"; }
    }

    /** Observes the page-by-page translation of an IOAS or a paging HWPT. */
    record QueryPages(int vm, int id) implements VmOp {
        @Override public String toString() { return "queryPages(vm=" + vm + ", id=" + id + ")"; }
    }

    /** Invalidates a range of a nested (stage-1) HWPT's cached translations. */
    record Invalidate(int vm, int hwpt, int iova, int pages) implements VmOp {
        @Override public String toString() {
            return "invalidate(vm=" + vm + ", hwpt=" + hwpt + ", iova=" + iova + ", pages=" + pages + ")";
        }
    }

    /**
     * A stage-1 cache invalidation through vIOMMU {@code viommu} (iommufd): one entry naming the
     * guest's virtual device ID {@code virtId} and a range; {@code pages} 0 is an empty request array.
     */
    record InvalidateViommu(int vm, int viommu, int virtId, int iova, int pages) implements VmOp {
        @Override public String toString() {
            return "invalidateViommu(vm=" + vm + ", viommu=" + viommu + ", virt=" + virtId + ", iova=" + iova
                    + ", pages=" + pages + ")";
        }
    }

    // ---- Layer B: attachment (the VM is the device's) ------------------------------------------

    /**
     * An operation of or on a device. It acts for the VM the device is assigned to (as an iommufd
     * device is bound to one iommufd context), so it names no VM itself.
     */
    sealed interface DeviceOp extends Operation {
        int device();

        @Override
        default boolean namesOutOfBounds(Bounds bounds) {
            return bounds.device(device()).isEmpty();
        }
    }

    /** An operation on the attach point (device, PASID). */
    sealed interface AttachPointOp extends DeviceOp {
        int pasid();
    }

    record Attach(int device, int pasid, int table) implements AttachPointOp {
        @Override public String toString() {
            return "attach(dev=" + device + ", pasid=" + Pasid.show(pasid) + ", table=" + table + ")";
        }
    }

    record Replace(int device, int pasid, int table) implements AttachPointOp {
        @Override public String toString() {
            return "replace(dev=" + device + ", pasid=" + Pasid.show(pasid) + ", table=" + table + ")";
        }
    }

    record Detach(int device, int pasid) implements AttachPointOp {
        @Override public String toString() {
            return "detach(dev=" + device + ", pasid=" + Pasid.show(pasid) + ")";
        }
    }

    /** Observes what is attached at (device, PASID). */
    record QueryAttachment(int device, int pasid) implements AttachPointOp {
        @Override public String toString() {
            return "queryAttachment(dev=" + device + ", pasid=" + Pasid.show(pasid) + ")";
        }
    }

    /**
     * A vIOMMU (iommufd) on NEST_PARENT paging HWPT {@code hwpt}, through {@code device}: its IOMMU
     * driver must offer vIOMMUs. It acts for the device's VM.
     */
    record AllocViommu(int device, int hwpt) implements DeviceOp {
        @Override public String toString() { return "allocViommu(dev=" + device + ", hwpt=" + hwpt + ")"; }
    }

    /** A vDEVICE (iommufd): {@code device} is known as {@code virtId} to the guest in vIOMMU {@code viommu}. */
    record AllocVdevice(int device, int viommu, int virtId) implements DeviceOp {
        @Override public String toString() {
            return "allocVdevice(dev=" + device + ", viommu=" + viommu + ", virt=" + virtId + ")";
        }
    }

    // ---- Layer C: DMA, page requests and fault queues ------------------------------------------

    /** An operation of a process on its own address space (for SVA). */
    sealed interface MmOp extends Operation {
        int mm();

        @Override
        default boolean namesOutOfBounds(Bounds bounds) {
            return !bounds.isMm(mm());
        }
    }

    /** The process maps virtual page {@code page} of mm {@code mm} onto host page {@code host}. */
    record MmMap(int mm, int page, int host, Access access) implements MmOp {
        @Override public String toString() {
            return "mmMap(mm=" + mm + ", page=" + page + ", host=" + host + ", access=" + access + ")";
        }
    }

    record MmUnmap(int mm, int page) implements MmOp {
        @Override public String toString() { return "mmUnmap(mm=" + mm + ", page=" + page + ")"; }
    }

    /**
     * The guest edits its stage-1 table: IOVA page {@code iova} of nested HWPT {@code hwpt} now
     * translates to guest-physical page {@code gpa} (an IOVA of the parent) with {@code access};
     * {@code NONE} clears the entry. The device is guaranteed to see it only after an invalidate.
     */
    record WriteStage1(int vm, int hwpt, int iova, int gpa, Access access) implements VmOp {
        @Override public String toString() {
            return "writeStage1(vm=" + vm + ", hwpt=" + hwpt + ", iova=" + iova + ", gpa=" + gpa + ", access=" + access
                    + ")";
        }
    }

    /** The device does DMA at (device, PASID) to {@code iova}; the result is the translation or a fault. */
    record Dma(int device, int pasid, int iova, Access access) implements AttachPointOp {
        @Override public String toString() {
            return "dma(dev=" + device + ", pasid=" + Pasid.show(pasid) + ", iova=" + iova + ", access=" + access + ")";
        }
    }

    /** The device sends a page request (PRI) of group {@code group}; {@code last} completes the group. */
    record PageRequest(int device, int pasid, int iova, Access access, int group, boolean last)
            implements AttachPointOp {
        @Override public String toString() {
            return "pageRequest(dev=" + device + ", pasid=" + Pasid.show(pasid) + ", iova=" + iova + ", access="
                    + access + ", group=" + group + (last ? ", last" : "") + ")";
        }
    }

    /**
     * The IOMMU driver's page request handler takes the device's oldest completed group from the
     * IOMMU's page request queue and hands it to its handler. Only the model's interleaved fault
     * delivery queues groups (explore --fault-delivery); an implementation that routes a group as it
     * completes never has one queued, and answers {@code ENOENT}.
     */
    record DeliverFault(int device) implements DeviceOp {
        @Override public String toString() { return "deliverFault(dev=" + device + ")"; }
    }

    /** Observes the page responses a device received, in order. */
    record QueryResponses(int device) implements DeviceOp {
        @Override public String toString() { return "queryResponses(dev=" + device + ")"; }
    }

    /** User space reads the whole groups delivered to a fault queue. */
    record ReadFaults(int vm, int queue) implements VmOp {
        @Override public String toString() { return "readFaults(vm=" + vm + ", queue=" + queue + ")"; }
    }

    /** User space answers the group read with {@code cookie}. */
    record Respond(int vm, int queue, int cookie, ResponseCode code) implements VmOp {
        @Override public String toString() {
            return "respond(vm=" + vm + ", queue=" + queue + ", cookie=" + cookie + ", code=" + code + ")";
        }
    }

    /** Rendering helpers shared by the records above. */
    final class Flags {
        private Flags() {
        }

        static String show(boolean nestParent, boolean allocPasid) {
            if (!nestParent && !allocPasid) {
                return "0";
            }
            return nestParent && allocPasid ? "NEST_PARENT|ALLOC_PASID" : nestParent ? "NEST_PARENT" : "ALLOC_PASID";
        }

        static String showObject(int id) {
            return id == 0 ? "none" : Integer.toString(id);
        }
    }
}
