package dev.ioasid.mutants;

import dev.ioasid.contract.Bounds;
import dev.ioasid.reference.DeviceAttach;
import dev.ioasid.reference.IoPageFaults;
import dev.ioasid.reference.IoPagetableOps;
import dev.ioasid.reference.Iotlb;
import dev.ioasid.reference.ObjectOps;
import dev.ioasid.reference.ObjectTables;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.PasidSpace;
import dev.ioasid.reference.ReferenceImplementation;

/** Planted bugs in attachment. */
final class AttachMutants {

    private AttachMutants() {
    }

    /**
     * Attach checks the PASID but takes no reference on it. Shortest trace (5): createSet;
     * allocPasid; allocSva; attach(dev=1, pasid, sva); queryPasid -> refs=0 instead of refs=1.
     */
    static final class AttachTakesNoPasidReference extends ReferenceImplementation {
        AttachTakesNoPasidReference(Bounds bounds) {
            super(bounds);
        }

        @Override protected PasidSpace newPasidSpace(Bounds bounds) {
            return new PasidSpace(bounds) {
                @Override protected void takeReference(IoasidData data) {
                }
            };
        }
    }

    /**
     * Attach takes a PASID reference even on a free-pending PASID, so it never gets released.
     * Shortest trace (6): createSet; allocPasid; allocSva; attach(dev=1, pasid, sva); freePasid;
     * attach(dev=2, pasid, sva) -> ok instead of EBUSY.
     */
    static final class FreePendingReattached extends ReferenceImplementation {
        FreePendingReattached(Bounds bounds) {
            super(bounds);
        }

        @Override protected PasidSpace newPasidSpace(Bounds bounds) {
            return new PasidSpace(bounds) {
                @Override protected boolean refusesNewReference(IoasidData data) {
                    return false;
                }
            };
        }
    }

    /**
     * Attach forgets {@code refcount_inc} on the table, so the table can be destroyed under the
     * device. Shortest trace (3): allocIoas; attach(dev=1, pasid=none, table=1); destroy(id=1) -> ok
     * instead of EBUSY (or queryObject -> users=0).
     */
    static final class AttachTakesNoTableReference extends ReferenceImplementation {
        AttachTakesNoTableReference(Bounds bounds) {
            super(bounds);
        }

        @Override protected DeviceAttach newDeviceAttach(Bounds bounds, ObjectTables objects, PasidSpace pasids,
                                                      Iotlb iotlb, IoPageFaults iopf) {
            return new DeviceAttach(bounds, objects, pasids, iotlb, iopf) {
                @Override protected void tableGet(IommufdObject table) {
                }
            };
        }
    }

    /**
     * Replace is detach then attach: when the new table is refused, the device is left with nothing.
     * Shortest trace (4): allocIoas; attach(dev=1, pasid=none, table=1); replace(table=2, unknown)
     * -> ENOENT either way; queryAttachment -> detached instead of table=1.
     */
    static final class ReplaceNotAtomic extends ReferenceImplementation {
        ReplaceNotAtomic(Bounds bounds) {
            super(bounds);
        }

        @Override protected DeviceAttach newDeviceAttach(Bounds bounds, ObjectTables objects, PasidSpace pasids,
                                                      Iotlb iotlb, IoPageFaults iopf) {
            return new DeviceAttach(bounds, objects, pasids, iotlb, iopf) {
                @Override public int replace(int device, int pasid, int tableId) {
                    if (attachedAt(device, pasid) == null) {
                        return super.replace(device, pasid, tableId);
                    }
                    detach(device, pasid);
                    return attach(device, pasid, tableId);
                }
            };
        }
    }

    /**
     * iommufd: the automatic domain is not put away when its last attachment goes, so it keeps its
     * ID and its reference on the IOAS, which then can never be destroyed. Shortest trace (4, under
     * iommufd only): allocIoas; attach(dev=1, pasid=none, ioas) -> ok(id=2); detach; destroy(ioas)
     * -> EBUSY instead of ok.
     */
    static final class AutoDomainKept extends ReferenceImplementation {
        AutoDomainKept(Bounds bounds) {
            super(bounds);
        }

        @Override protected ObjectOps newObjectOps(Bounds bounds, ObjectTables objects, IoPagetableOps iopt, IoPageFaults iopf) {
            return new ObjectOps(bounds, objects, iopt, iopf) {
                @Override protected void releaseIfUnusedAuto(int vm, IommufdObject table) {
                }
            };
        }
    }

    /**
     * A dirty-tracking HWPT attaches to a device whose IOMMU cannot track dirty pages (the driver's
     * check is missing). Shortest trace (3): allocIoas; allocHwptPaging(DIRTY_TRACKING);
     * attach(dev=2) -> ok instead of EINVAL.
     */
    static final class DirtyAttachUnchecked extends dev.ioasid.reference.ReferenceImplementation {
        DirtyAttachUnchecked(dev.ioasid.contract.Bounds bounds) {
            super(bounds);
        }

        @Override protected dev.ioasid.reference.DeviceAttach newDeviceAttach(dev.ioasid.contract.Bounds bounds,
                dev.ioasid.reference.ObjectTables objects, dev.ioasid.reference.PasidSpace pasids,
                dev.ioasid.reference.Iotlb iotlb, dev.ioasid.reference.IoPageFaults iopf) {
            return new dev.ioasid.reference.DeviceAttach(bounds, objects, pasids, iotlb, iopf) {
                @Override protected int dirtyCompat(dev.ioasid.contract.DeviceSpec spec,
                                                    dev.ioasid.reference.Objects.IommufdObject table) {
                    return 0;
                }
            };
        }
    }
}
