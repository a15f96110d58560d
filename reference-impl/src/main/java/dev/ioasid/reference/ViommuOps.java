package dev.ioasid.reference;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.reference.Objects.HwptPaging;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.Vdevice;
import dev.ioasid.reference.Objects.Viommu;
import java.util.HashMap;
import java.util.Map;

/**
 * iommufd's viommu.c: vIOMMUs on nest parent HWPTs, vDEVICEs in a vIOMMU's xarray by virtual ID,
 * and the vIOMMU's cache invalidation, whose entries name devices by virtual ID (the selftest mock
 * driver's semantics: an unknown virtual ID is EINVAL).
 */
public class ViommuOps {
    private final Bounds bounds;
    private final ObjectTables objects;
    private final Iotlb iotlb;
    /** idev->vdev: the vDEVICE each device has (Linux 6.17 allows one). */
    private final Map<Integer, Vdevice> vdevOfDevice = new HashMap<>();

    public ViommuOps(Bounds bounds, ObjectTables objects, Iotlb iotlb) {
        this.bounds = bounds;
        this.objects = objects;
        this.iotlb = iotlb;
    }

    /** iommufd_viommu_alloc_ioctl. */
    int allocViommu(int device, int hwptId) {
        DeviceSpec spec = bounds.device(device).orElseThrow();
        if (!spec.viommuCapable()) {
            return Err.EOPNOTSUPP; // the driver has no viommu_init
        }
        IommufdObject hwpt = objects.lookup(spec.vm(), hwptId);
        if (!(hwpt instanceof HwptPaging paging)) {
            return Err.ENOENT; // iommufd_get_hwpt_paging
        }
        if (!nestParent(paging)) {
            return Err.EINVAL;
        }
        Viommu viommu = new Viommu(paging);
        int id = objects.alloc(spec.vm(), viommu);
        if (Err.isErr(id)) {
            return id;
        }
        paging.users++;
        return id;
    }

    /** iommufd_vdevice_alloc_ioctl (Linux 6.17: one vDEVICE per device). */
    int allocVdevice(int device, int viommuId, int virtId) {
        if (virtId < 0) {
            return Err.EINVAL;
        }
        DeviceSpec spec = bounds.device(device).orElseThrow();
        IommufdObject obj = objects.lookup(spec.vm(), viommuId);
        if (!(obj instanceof Viommu viommu)) {
            return Err.ENOENT; // iommufd_get_viommu
        }
        if (!sameIommu(viommu, spec)) {
            return Err.EINVAL; // viommu->iommu_dev != the device's IOMMU
        }
        if (vdevOfDevice.containsKey(device)) {
            return Err.EEXIST;
        }
        Vdevice vdev = new Vdevice(viommu, device, virtId);
        int id = objects.alloc(spec.vm(), vdev);
        if (Err.isErr(id)) {
            return id;
        }
        if (viommu.vdevs.putIfAbsent((long) virtId, vdev) != null) {
            objects.remove(spec.vm(), id); // iommufd_object_abort_and_destroy
            return Err.EEXIST;
        }
        if (vdeviceHoldsViommu()) {
            viommu.users++;
        }
        vdevOfDevice.put(device, vdev);
        return id;
    }

    /** The vIOMMU's cache_invalidate with one entry (virtual device ID, range); 0 pages is no entry. */
    int invalidate(int vm, int viommuId, int virtId, int iova, int pages) {
        IommufdObject obj = objects.lookup(vm, viommuId);
        if (obj == null) {
            return Err.ENOENT;
        }
        if (!(obj instanceof Viommu viommu)) {
            return Err.EINVAL;
        }
        if (pages == 0 && iova >= 0) {
            return 0;
        }
        if (pages < 1 || iova < 0) {
            return Err.EINVAL;
        }
        Vdevice vdev = viommu.vdevs.get((long) virtId); // iommufd_viommu_find_dev
        if (vdev == null) {
            return Err.EINVAL;
        }
        iotlb.flushDeviceStage1(physicalDevice(vdev), viommu, iova, pages);
        return 0;
    }

    /** A vDEVICE was destroyed: iommufd_vdevice_abort. */
    void release(Vdevice vdev) {
        freeSlot(vdev);
        if (vdeviceHoldsViommu()) {
            vdev.viommu.users--;
        }
        vdevOfDevice.remove(vdev.device, vdev);
    }

    /** The vDEVICE's virtual ID leaves its vIOMMU's xarray (xa_cmpxchg to NULL). */
    protected void freeSlot(Vdevice vdev) {
        vdev.viommu.vdevs.remove(vdev.virtId, vdev);
    }

    /** Whether a vDEVICE holds a reference on its vIOMMU (refcount_inc of viommu->obj.users). */
    protected boolean vdeviceHoldsViommu() {
        return true;
    }

    /** Devices whose IOMMU driver offers vIOMMUs share one IOMMU instance, the vIOMMU's. */
    protected boolean sameIommu(Viommu viommu, DeviceSpec spec) {
        return spec.viommuCapable();
    }

    /** The device an invalidation entry's virtual ID resolves to. */
    protected int physicalDevice(Vdevice vdev) {
        return vdev.device;
    }

    protected boolean nestParent(HwptPaging hwpt) {
        return hwpt.nestParent;
    }
}
