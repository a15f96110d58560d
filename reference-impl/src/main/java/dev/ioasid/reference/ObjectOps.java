package dev.ioasid.reference;

import dev.ioasid.contract.Bounds;
import dev.ioasid.reference.Objects.FaultQueue;
import dev.ioasid.reference.Objects.HwptNested;
import dev.ioasid.reference.Objects.HwptPaging;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.Ioas;
import dev.ioasid.reference.Objects.Sva;
import dev.ioasid.reference.Objects.Vdevice;
import dev.ioasid.reference.Objects.Viommu;

/** Allocation and destruction of iommufd objects, with the references each takes and drops. */
public class ObjectOps {
    private final Bounds bounds;
    private final ObjectTables objects;
    private final IoPagetableOps iopt;
    private final IoPageFaults iopf;
    private ViommuOps viommus;

    public ObjectOps(Bounds bounds, ObjectTables objects, IoPagetableOps iopt, IoPageFaults iopf) {
        this.bounds = bounds;
        this.objects = objects;
        this.iopt = iopt;
        this.iopf = iopf;
    }

    /** The vIOMMU operations, which a vDEVICE's destroy goes through (set once, at construction). */
    void viommusFrom(ViommuOps viommus) {
        this.viommus = viommus;
    }

    int allocIoas(int vm) {
        return objects.alloc(vm, new Ioas());
    }

    int allocFaultQueue(int vm) {
        return objects.alloc(vm, new FaultQueue());
    }

    int allocSva(int vm, int mm) {
        return objects.alloc(vm, new Sva(mm));
    }

    int allocHwptPaging(int vm, int ioasId, boolean nestParent, boolean allocPasid, int faultId, boolean dirty) {
        IommufdObject pt = objects.lookup(vm, ioasId);
        if (bounds.iommufd()) {
            int id = iommufdHwptAlloc(vm, pt, nestParent, allocPasid, faultId, true);
            if (dirty && !Err.isErr(id)) {
                ((HwptPaging) objects.lookup(vm, id)).dirtyOps = true; // as Intel's, for any flags
            }
            return id;
        }
        if (dirty) {
            return Err.EOPNOTSUPP; // no such flag in the 2021 proposal
        }
        if (pt == null) {
            return Err.ENOENT;
        }
        if (!(pt instanceof Ioas)) {
            return Err.EINVAL;
        }
        int fault = faultArgument(vm, faultId);
        if (Err.isErr(fault)) {
            return fault;
        }
        if (nestParent && faultId != 0) {
            return Err.EOPNOTSUPP;
        }
        Ioas ioas = (Ioas) pt;
        HwptPaging hwpt = new HwptPaging(ioas, nestParent, allocPasid, (FaultQueue) objects.lookup(vm, faultId),
                new IoPageTable(bounds.iovaPages()));
        int id = objects.alloc(vm, hwpt);
        if (Err.isErr(id)) {
            return id;
        }
        iopt.fillDomain(ioas, hwpt);
        ioas.domains.add(hwpt);
        ioas.users++;
        if (hwpt.fault != null) {
            hwpt.fault.users++;
        }
        return id;
    }

    int allocHwptNested(int vm, int parentId, boolean allocPasid, int faultId) {
        IommufdObject parent = objects.lookup(vm, parentId);
        if (bounds.iommufd()) {
            return iommufdHwptAlloc(vm, parent, false, allocPasid, faultId, false);
        }
        if (parent == null) {
            return Err.ENOENT;
        }
        if (!validNestParent(parent)) {
            return Err.EINVAL;
        }
        int fault = faultArgument(vm, faultId);
        if (Err.isErr(fault)) {
            return fault;
        }
        HwptNested hwpt = new HwptNested((HwptPaging) parent, allocPasid, (FaultQueue) objects.lookup(vm, faultId),
                bounds.iovaPages());
        int id = objects.alloc(vm, hwpt);
        if (Err.isErr(id)) {
            return id;
        }
        parent.users++;
        if (hwpt.fault != null) {
            hwpt.fault.users++;
        }
        return id;
    }

    /**
     * IOMMU_HWPT_ALLOC as iommufd_hwpt_alloc does it: pt_id looked up as any kind and switched on
     * (an IOAS takes the paging path, a paging HWPT or a vIOMMU the nested one; driver data on the wrong path is
     * EOPNOTSUPP), NEST_PARENT with a fault refused before allocating, the object ID reserved, then the
     * fault object looked up by type and the HWPT aborted if it is not one.
     */
    private int iommufdHwptAlloc(int vm, IommufdObject pt, boolean nestParent, boolean allocPasid, int faultId,
                                 boolean pagingRequested) {
        if (pt == null) {
            return Err.EINVAL;
        }
        boolean pagingPath = pt instanceof Ioas;
        if (!pagingPath && !(pt instanceof HwptPaging) && !(pt instanceof Viommu)) {
            return Err.EINVAL;
        }
        if (pagingPath != pagingRequested) {
            return Err.EOPNOTSUPP;
        }
        if (pagingPath && nestParent && faultId != 0) {
            return Err.EOPNOTSUPP;
        }
        if (pt instanceof HwptPaging && !validNestParent(pt)) {
            return Err.EINVAL;
        }
        IommufdObject faultObj = faultId == 0 ? null : objects.lookup(vm, faultId);
        FaultQueue fault = faultObj instanceof FaultQueue queue ? queue : null;
        IommufdObject hwpt = pagingPath
                ? new HwptPaging((Ioas) pt, nestParent, allocPasid, fault, new IoPageTable(bounds.iovaPages()))
                : pt instanceof Viommu viommu ? new HwptNested(viommu.hwpt, viommu, allocPasid, fault, bounds.iovaPages())
                : new HwptNested((HwptPaging) pt, allocPasid, fault, bounds.iovaPages());
        int id = objects.alloc(vm, hwpt);
        if (Err.isErr(id)) {
            return id;
        }
        if (faultId != 0 && fault == null) {
            objects.remove(vm, id); // iommufd_object_abort_and_destroy
            return Err.ENOENT;
        }
        if (hwpt instanceof HwptPaging paging) {
            iopt.fillDomain(paging.ioas, paging);
            paging.ioas.domains.add(paging);
            pt.users++;
        } else {
            holder((HwptNested) hwpt).users++;
        }
        if (fault != null) {
            fault.users++;
        }
        return id;
    }

    /**
     * iommufd_device_auto_get_domain: the IOAS's automatic domain if it has one, else a new one
     * (not a nest parent, no PASID flag, no fault) filled from its areas; null if no ID is free.
     * The caller takes the attachment's reference.
     */
    HwptPaging autoDomain(int vm, Ioas ioas) {
        for (HwptPaging domain : ioas.domains) {
            if (domain.auto) {
                return domain;
            }
        }
        HwptPaging hwpt = new HwptPaging(ioas, false, false, null, new IoPageTable(bounds.iovaPages()), true);
        if (Err.isErr(objects.alloc(vm, hwpt))) {
            return null;
        }
        iopt.fillDomain(ioas, hwpt);
        ioas.domains.add(hwpt);
        ioas.users++;
        return hwpt;
    }

    /** The last attachment of an automatic domain went: the domain goes, with its reference on the IOAS. */
    protected void releaseIfUnusedAuto(int vm, IommufdObject table) {
        if (table instanceof HwptPaging hwpt && hwpt.auto && hwpt.users == 0) {
            objects.remove(vm, hwpt.id);
            hwpt.ioas.domains.remove(hwpt);
            hwpt.ioas.users--;
        }
    }

    int destroy(int vm, int id) {
        IommufdObject obj = objects.lookup(vm, id);
        if (obj == null) {
            return Err.ENOENT;
        }
        if (busy(obj)) {
            return Err.EBUSY;
        }
        objects.remove(vm, id);
        if (obj instanceof FaultQueue queue) {
            iopf.abandonQueue(queue);
        } else if (obj instanceof HwptPaging hwpt) {
            hwpt.ioas.domains.remove(hwpt);
            hwpt.ioas.users--;
            dropFault(hwpt.fault);
        } else if (obj instanceof HwptNested nested) {
            holder(nested).users--;
            dropFault(nested.fault);
        } else if (obj instanceof Viommu viommu) {
            viommu.hwpt.users--;
        } else if (obj instanceof Vdevice vdev) {
            viommus.release(vdev);
        }
        return 0;
    }

    /**
     * The object a nested HWPT holds its table reference on: the vIOMMU it was allocated on
     * (iommufd_viommu_alloc_hwpt_nested), else its parent.
     */
    protected IommufdObject holder(HwptNested nested) {
        return nested.viommu != null ? nested.viommu : nested.parent;
    }

    /** iommufd_hwpt_set_dirty_tracking: a typed lookup; iopt_set_dirty_tracking clears every bit on enable. */
    int setDirtyTracking(int vm, int id, boolean enable) {
        if (!(objects.lookup(vm, id) instanceof HwptPaging hwpt)) {
            return Err.ENOENT;
        }
        if (!hwpt.dirtyOps) {
            return Err.EOPNOTSUPP;
        }
        if (enable) {
            clearDirty(hwpt); // "a clean snapshot"
        }
        hwpt.dirtyTracking = enable;
        return 0;
    }

    /** iopt_clear_dirty_data: every dirty bit of the domain cleared. */
    protected void clearDirty(HwptPaging hwpt) {
        for (int page = 0; page < bounds.iovaPages(); page++) {
            hwpt.table.testDirty(page, false);
        }
    }

    /** Whether a read without NO_CLEAR clears the bits it reads (read_and_clear_dirty). */
    protected boolean clearsWhatItReads() {
        return true;
    }

    /**
     * iommufd_hwpt_get_dirty_bitmap: a typed lookup, dirty ops, then the walk, whose errors the ioctl
     * drops: nothing while tracking is off, and only the mapped pages from {@code iova} up to a hole.
     * Returns the dirty pages, or null with the errno in {@code error[0]}.
     */
    java.util.List<Integer> readDirty(int vm, int id, int iova, int pages, boolean noClear, int[] error) {
        if (!(objects.lookup(vm, id) instanceof HwptPaging hwpt)) {
            error[0] = Err.ENOENT;
            return null;
        }
        if (!hwpt.dirtyOps) {
            error[0] = Err.EOPNOTSUPP;
            return null;
        }
        if (pages < 1 || iova < 0) {
            error[0] = Err.EINVAL;
            return null;
        }
        java.util.List<Integer> dirty = new java.util.ArrayList<>();
        if (!hwpt.dirtyTracking) {
            return dirty; // the driver's -EINVAL, dropped by iova_bitmap_for_each's caller
        }
        for (long page = iova; page < (long) iova + pages && page < bounds.iovaPages(); page++) {
            if (!IoPageTable.present(hwpt.table.lookup((int) page))) {
                break; // not contiguous: the walk stops, the ioctl still succeeds
            }
            if (hwpt.table.testDirty((int) page, noClear || !clearsWhatItReads())) {
                dirty.add((int) page);
            }
        }
        return dirty;
    }

    /** Only a paging HWPT allocated with NEST_PARENT can be a stage-2 parent. */
    protected boolean validNestParent(IommufdObject parent) {
        return parent instanceof HwptPaging paging && paging.nestParent;
    }

    protected boolean busy(IommufdObject obj) {
        return obj.users > 0;
    }

    private int faultArgument(int vm, int faultId) {
        if (faultId == 0) {
            return 0;
        }
        IommufdObject fault = objects.lookup(vm, faultId);
        if (fault == null) {
            return Err.ENOENT;
        }
        return fault instanceof FaultQueue ? 0 : Err.EINVAL;
    }

    private static void dropFault(FaultQueue fault) {
        if (fault != null) {
            fault.users--;
        }
    }
}
