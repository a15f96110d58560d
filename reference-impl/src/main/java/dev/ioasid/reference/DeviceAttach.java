package dev.ioasid.reference;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Pasid;
import dev.ioasid.reference.Objects.FaultQueue;
import dev.ioasid.reference.Objects.HwptNested;
import dev.ioasid.reference.Objects.HwptPaging;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.Ioas;
import dev.ioasid.reference.Objects.Sva;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-device attach tables ({@code dev->iommu_group} domain plus the PASID array): attach, replace
 * and detach, taking and dropping references on the table and on the PASID.
 */
public class DeviceAttach {
    private final Bounds bounds;
    private final ObjectTables objects;
    protected final PasidSpace pasids;
    protected final Iotlb iotlb;
    protected final IoPageFaults iopf;
    private final Map<Integer, Map<Integer, IommufdObject>> attached = new HashMap<>();

    public DeviceAttach(Bounds bounds, ObjectTables objects, PasidSpace pasids, Iotlb iotlb, IoPageFaults iopf) {
        this.bounds = bounds;
        this.objects = objects;
        this.pasids = pasids;
        this.iotlb = iotlb;
        this.iopf = iopf;
        for (DeviceSpec device : bounds.devices()) {
            attached.put(device.id(), new HashMap<>());
        }
    }

    public int attach(int device, int pasid, int tableId) {
        DeviceSpec spec = bounds.device(device).orElseThrow();
        IommufdObject table = objects.lookup(spec.vm(), tableId);
        int ret = checkTarget(spec, pasid, table);
        if (Err.isErr(ret)) {
            return ret;
        }
        if (pasid != Pasid.NONE) {
            ret = pasids.get(spec.vm(), pasid);
            if (Err.isErr(ret)) {
                return ret;
            }
        }
        Map<Integer, IommufdObject> points = attached.get(device);
        if (points.containsKey(pasid)) {
            if (pasid != Pasid.NONE) {
                pasids.put(pasid);
            }
            return Err.EBUSY;
        }
        points.put(pasid, table);
        tableGet(table);
        iotlb.flushPoint(device, pasid);
        return 0;
    }

    /** Swaps the table at an attached point; on failure the old attachment stays as it was. */
    public int replace(int device, int pasid, int tableId) {
        DeviceSpec spec = bounds.device(device).orElseThrow();
        IommufdObject table = objects.lookup(spec.vm(), tableId);
        int ret = checkTarget(spec, pasid, table);
        if (Err.isErr(ret)) {
            return ret;
        }
        IommufdObject old = attached.get(device).get(pasid);
        if (old == null) {
            return Err.EINVAL;
        }
        if (old != table) {
            attached.get(device).put(pasid, table);
            tableGet(table);
            old.users--;
            iotlb.flushPoint(device, pasid);
            iopf.abandonPoint(device, pasid, old);
        }
        return 0;
    }

    public int detach(int device, int pasid) {
        IommufdObject old = attached.get(device).remove(pasid);
        if (old == null) {
            return 0;
        }
        old.users--;
        iotlb.flushPoint(device, pasid);
        iopf.abandonPoint(device, pasid, old);
        if (pasid != Pasid.NONE) {
            pasids.put(pasid);
        }
        return 0;
    }

    /** The table attached at the point, or null. */
    protected IommufdObject attachedAt(int device, int pasid) {
        return attached.get(device).get(pasid);
    }

    /** Takes the attachment's reference on its table. */
    protected void tableGet(IommufdObject table) {
        table.users++;
    }

    protected int checkTarget(DeviceSpec spec, int pasid, IommufdObject table) {
        if (table == null) {
            return Err.ENOENT;
        }
        boolean onPasid = pasid != Pasid.NONE;
        if (table instanceof FaultQueue || (table instanceof Ioas && onPasid) || (table instanceof Sva && !onPasid)) {
            return Err.EINVAL;
        }
        if (!onPasid) {
            return 0;
        }
        if (!spec.pasidCapable()) {
            return Err.EOPNOTSUPP;
        }
        if (pasid < 1 || pasid >= spec.pasids()) {
            return Err.EINVAL;
        }
        boolean pasidCompat = table instanceof Sva || (table instanceof HwptPaging p && p.allocPasid)
                || (table instanceof HwptNested n && n.allocPasid);
        if (!pasidCompat) {
            return Err.EINVAL;
        }
        return pasids.lookup(spec.vm(), pasid) == null ? pasids.lookupError(spec.vm(), pasid) : 0;
    }
}
