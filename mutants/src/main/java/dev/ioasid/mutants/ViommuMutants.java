package dev.ioasid.mutants;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.reference.IoPageFaults;
import dev.ioasid.reference.IoPagetableOps;
import dev.ioasid.reference.Iotlb;
import dev.ioasid.reference.ObjectOps;
import dev.ioasid.reference.ObjectTables;
import dev.ioasid.reference.Objects.HwptNested;
import dev.ioasid.reference.Objects.HwptPaging;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.Vdevice;
import dev.ioasid.reference.Objects.Viommu;
import dev.ioasid.reference.ReferenceImplementation;
import dev.ioasid.reference.ViommuOps;

/**
 * Planted bugs in iommufd's vIOMMU objects (viommu.c). The shortest traces are under the iommufd
 * profile and the default bounds, where device 1 is the one behind an IOMMU with vIOMMUs.
 */
final class ViommuMutants {

    private ViommuMutants() {
    }

    /** A reference implementation whose vIOMMU operations are replaced. */
    private abstract static class WithViommus extends ReferenceImplementation {
        WithViommus(Bounds bounds) {
            super(bounds);
        }

        abstract ViommuOps viommus(Bounds bounds, ObjectTables objects, Iotlb iotlb);

        @Override protected ViommuOps newViommuOps(Bounds bounds, ObjectTables objects, Iotlb iotlb) {
            return viommus(bounds, objects, iotlb);
        }
    }

    /**
     * The vIOMMU takes any paging HWPT as its stage 2, not only a NEST_PARENT one.
     * Shortest trace (3): allocIoas; allocHwptPaging(flags=0); allocViommu(dev=1, hwpt=2) -> ok
     * instead of EINVAL.
     */
    static final class ViommuOnAnyHwpt extends WithViommus {
        ViommuOnAnyHwpt(Bounds bounds) {
            super(bounds);
        }

        @Override ViommuOps viommus(Bounds bounds, ObjectTables objects, Iotlb iotlb) {
            return new ViommuOps(bounds, objects, iotlb) {
                @Override protected boolean nestParent(HwptPaging hwpt) {
                    return true;
                }
            };
        }
    }

    /**
     * Destroying a vDEVICE leaves its virtual ID in the vIOMMU's xarray: the ID cannot be given
     * again. Shortest trace (6): allocIoas; allocHwptPaging(NEST_PARENT); allocViommu; allocVdevice;
     * destroy(vDEVICE); allocVdevice with the same virtual ID -> EEXIST instead of ok.
     */
    static final class VdeviceIdKept extends WithViommus {
        VdeviceIdKept(Bounds bounds) {
            super(bounds);
        }

        @Override ViommuOps viommus(Bounds bounds, ObjectTables objects, Iotlb iotlb) {
            return new ViommuOps(bounds, objects, iotlb) {
                @Override protected void freeSlot(Vdevice vdev) {
                }
            };
        }
    }

    /**
     * A vDEVICE takes no reference on its vIOMMU: the vIOMMU can be destroyed under it.
     * Shortest trace (5): allocIoas; allocHwptPaging(NEST_PARENT); allocViommu; allocVdevice;
     * destroy(vIOMMU) -> ok instead of EBUSY.
     */
    static final class VdeviceNoViommuReference extends WithViommus {
        VdeviceNoViommuReference(Bounds bounds) {
            super(bounds);
        }

        @Override ViommuOps viommus(Bounds bounds, ObjectTables objects, Iotlb iotlb) {
            return new ViommuOps(bounds, objects, iotlb) {
                @Override protected boolean vdeviceHoldsViommu() {
                    return false;
                }
            };
        }
    }

    /**
     * A vDEVICE is accepted for a device behind another IOMMU (the iommu_dev comparison is missing).
     * Shortest trace (4): allocIoas; allocHwptPaging(NEST_PARENT); allocViommu(dev=1);
     * allocVdevice(dev=2) -> ok instead of EINVAL.
     */
    static final class VdeviceAnyIommu extends WithViommus {
        VdeviceAnyIommu(Bounds bounds) {
            super(bounds);
        }

        @Override ViommuOps viommus(Bounds bounds, ObjectTables objects, Iotlb iotlb) {
            return new ViommuOps(bounds, objects, iotlb) {
                @Override protected boolean sameIommu(Viommu viommu, DeviceSpec spec) {
                    return true;
                }
            };
        }
    }

    /**
     * The vIOMMU's invalidation takes the virtual ID for the physical device (vSID for SID): the
     * device the guest named keeps its stale stage-1 translations. Shortest trace (12), as
     * invalidate-not-flushed's with a vIOMMU, a vDEVICE whose virtual ID is not its device ID, and
     * the invalidation through the vIOMMU: allocIoas; map; allocHwptPaging(NEST_PARENT); allocViommu;
     * allocVdevice(virt=0); allocHwptNested(on the vIOMMU); attach; writeStage1; dma -> ok;
     * writeStage1(NONE); invalidateViommu(virt=0); dma -> ok instead of fault(STAGE1).
     */
    static final class ViommuInvalidateWrongDevice extends WithViommus {
        ViommuInvalidateWrongDevice(Bounds bounds) {
            super(bounds);
        }

        @Override ViommuOps viommus(Bounds bounds, ObjectTables objects, Iotlb iotlb) {
            return new ViommuOps(bounds, objects, iotlb) {
                @Override protected int physicalDevice(Vdevice vdev) {
                    return (int) vdev.virtId;
                }
            };
        }
    }

    /**
     * A nested HWPT allocated on a vIOMMU holds its reference on the parent HWPT, as one allocated
     * on the parent does, not on the vIOMMU: the vIOMMU can be destroyed under it.
     * Shortest trace (5): allocIoas; allocHwptPaging(NEST_PARENT); allocViommu;
     * allocHwptNested(parent=the vIOMMU); destroy(vIOMMU) -> ok instead of EBUSY.
     */
    static final class NestedHoldsParentNotViommu extends ReferenceImplementation {
        NestedHoldsParentNotViommu(Bounds bounds) {
            super(bounds);
        }

        @Override protected ObjectOps newObjectOps(Bounds bounds, ObjectTables objects, IoPagetableOps iopt,
                                                IoPageFaults iopf) {
            return new ObjectOps(bounds, objects, iopt, iopf) {
                @Override protected IommufdObject holder(HwptNested nested) {
                    return nested.parent;
                }
            };
        }
    }
}
