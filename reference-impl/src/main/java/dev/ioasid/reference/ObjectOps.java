package dev.ioasid.reference;

import dev.ioasid.contract.Bounds;
import dev.ioasid.reference.Objects.FaultQueue;
import dev.ioasid.reference.Objects.HwptNested;
import dev.ioasid.reference.Objects.HwptPaging;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.Ioas;
import dev.ioasid.reference.Objects.Sva;

/** Allocation and destruction of iommufd objects, with the references each takes and drops. */
public class ObjectOps {
    private final Bounds bounds;
    private final ObjectTables objects;
    private final IoPagetableOps iopt;
    private final IoPageFaults iopf;

    public ObjectOps(Bounds bounds, ObjectTables objects, IoPagetableOps iopt, IoPageFaults iopf) {
        this.bounds = bounds;
        this.objects = objects;
        this.iopt = iopt;
        this.iopf = iopf;
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

    int allocHwptPaging(int vm, int ioasId, boolean nestParent, boolean allocPasid, int faultId) {
        IommufdObject pt = objects.lookup(vm, ioasId);
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
            nested.parent.users--;
            dropFault(nested.fault);
        }
        return 0;
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
