package dev.ioasid.reference;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
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
    private ObjectOps autoDomains;
    private IoPagetableOps reservations;

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

    /** Where automatic domains come from (iommufd: an IOAS is attached through one). */
    void autoDomainsFrom(ObjectOps objectOps) {
        this.autoDomains = objectOps;
    }

    /** Where a RID attachment reserves its device's IOVA ranges (iommufd). */
    void reservationsIn(IoPagetableOps iopt) {
        this.reservations = iopt;
    }

    /**
     * Attaches; returns 0, or under iommufd the ID of the HWPT attached (the pt_id written back), or
     * -errno.
     */
    public int attach(int device, int pasid, int tableId) {
        DeviceSpec spec = bounds.device(device).orElseThrow();
        IommufdObject table = objects.lookup(spec.vm(), tableId);
        int ret = checkTarget(spec, pasid, table);
        if (Err.isErr(ret)) {
            return ret;
        }
        // iommufd has no sets: an attachment takes no reference on its PASID.
        boolean pasidRef = pasid != Pasid.NONE && !bounds.iommufd();
        if (pasidRef) {
            ret = pasids.get(spec.vm(), pasid);
            if (Err.isErr(ret)) {
                return ret;
            }
        }
        Map<Integer, IommufdObject> points = attached.get(device);
        if (points.containsKey(pasid)) {
            if (pasidRef) {
                pasids.put(pasid);
            }
            return Err.EBUSY;
        }
        Ioas reservedIn = reservedIoas(spec, pasid, table, null);
        ret = reserve(spec, reservedIn);
        if (Err.isErr(ret)) {
            return ret;
        }
        ret = lateChecks(spec, pasid, table);
        IommufdObject hwpt = Err.isErr(ret) ? null : hwptFor(spec.vm(), table);
        if (hwpt == null) {
            unreserve(spec, reservedIn); // err_unresv
            return Err.isErr(ret) ? ret : Err.ENOSPC;
        }
        points.put(pasid, hwpt);
        tableGet(hwpt);
        iotlb.flushPoint(device, pasid);
        return bounds.iommufd() ? hwpt.id : 0;
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
        boolean ontoIoasAuto = bounds.iommufd() && table instanceof Ioas ioas && old instanceof HwptPaging p && p.auto
                && p.ioas == ioas;
        if (old != table && !ontoIoasAuto) {
            Ioas reservedIn = reservedIoas(spec, pasid, table, old);
            ret = reserve(spec, reservedIn);
            if (Err.isErr(ret)) {
                return ret;
            }
            ret = lateChecks(spec, pasid, table);
            // The new domain is got before the old is let go (iommufd_device_do_replace).
            IommufdObject hwpt = Err.isErr(ret) ? null : hwptFor(spec.vm(), table);
            if (hwpt == null) {
                unreserve(spec, reservedIn);
                return Err.isErr(ret) ? ret : Err.ENOSPC;
            }
            if (reservedIn != null) {
                unreserve(spec, ioasBehind(old)); // the old IOAS's reservation goes once the new one holds
            }
            swapTable(device, pasid, hwpt);
            tableGet(hwpt);
            old.users--;
            iotlb.flushPoint(device, pasid);
            iopf.abandonPoint(device, pasid, old);
            releaseAuto(spec.vm(), old);
            return bounds.iommufd() ? hwpt.id : 0;
        }
        return bounds.iommufd() ? old.id : 0;
    }

    /**
     * Replace's one store: the point goes from its old table to the new one at once, so no call sees
     * it attached to neither (iommufd_device_do_replace() swaps the domain under the group's lock).
     */
    protected void swapTable(int device, int pasid, IommufdObject hwpt) {
        attached.get(device).put(pasid, hwpt);
    }

    /** Takes the point's table off, and nothing else: half of a replace done as a detach and an attach. */
    protected final void clearPoint(int device, int pasid) {
        attached.get(device).remove(pasid);
    }

    /** What the point takes for this table: itself, or under iommufd an IOAS's automatic domain (null: no ID free). */
    private IommufdObject hwptFor(int vm, IommufdObject table) {
        return bounds.iommufd() && table instanceof Ioas ioas ? autoDomains.autoDomain(vm, ioas) : table;
    }

    private void releaseAuto(int vm, IommufdObject old) {
        if (autoDomains != null) {
            autoDomains.releaseIfUnusedAuto(vm, old);
        }
    }

    public int detach(int device, int pasid) {
        IommufdObject old = attached.get(device).remove(pasid);
        if (old == null) {
            return 0;
        }
        if (pasid == Pasid.NONE) {
            unreserve(bounds.device(device).orElseThrow(), ioasBehind(old));
        }
        old.users--;
        iotlb.flushPoint(device, pasid);
        iopf.abandonPoint(device, pasid, old);
        releaseAuto(bounds.device(device).orElseThrow().vm(), old);
        if (pasid != Pasid.NONE && !bounds.iommufd()) {
            pasids.put(pasid);
        }
        return 0;
    }

    /**
     * The IOAS a RID attach or replace reserves the device's IOVA ranges in (iommufd_hw_pagetable_attach,
     * iommufd_group_do_replace_reserved_iova): the one behind the new table (find_hwpt_paging), unless
     * it is the one behind what the RID holds now; null when there is nothing to reserve.
     */
    private Ioas reservedIoas(DeviceSpec spec, int pasid, IommufdObject table, IommufdObject old) {
        if (!bounds.iommufd() || pasid != Pasid.NONE) {
            return null;
        }
        Ioas target = ioasBehind(table);
        return target == null || (old != null && ioasBehind(old) == target) ? null : target;
    }

    private static Ioas ioasBehind(IommufdObject table) {
        if (table instanceof Ioas ioas) {
            return ioas;
        }
        HwptPaging paging = Objects.lastStage(table);
        return paging == null ? null : paging.ioas;
    }

    private int reserve(DeviceSpec spec, Ioas ioas) {
        return ioas == null ? 0 : reservations.enforceDeviceReserved(ioas, spec);
    }

    private void unreserve(DeviceSpec spec, Ioas ioas) {
        if (ioas != null && bounds.iommufd()) {
            reservations.removeReserved(ioas, spec.id());
        }
    }

    /**
     * iommufd only, once the point is known free or attached: iommufd_hwpt_pasid_compat (device.c)
     * lets the RID take a table that is not PASID-compatible only while no PASID of the device is
     * attached, and a PASID attach only a compatible table while the RID holds nothing or a compatible
     * one; then iommu_attach_device_pasid checks the PASID against the device's max_pasids. No sets.
     */
    private int pasidCompat(int device, int pasid, IommufdObject table) {
        if (!bounds.iommufd()) {
            return 0;
        }
        Map<Integer, IommufdObject> points = attached.get(device);
        if (pasid == Pasid.NONE) {
            boolean pasidsAttached = points.keySet().stream().anyMatch(p -> p != Pasid.NONE);
            return pasidsAttached && !pasidCompatible(table) ? Err.EINVAL : 0;
        }
        IommufdObject rid = points.get(Pasid.NONE);
        if (!pasidCompatible(table) || (rid != null && !pasidCompatible(rid))) {
            return Err.EINVAL;
        }
        return pasid >= bounds.device(device).orElseThrow().pasids() ? Err.EINVAL : 0;
    }

    /** What attach and replace check once the point is known: PASID compatibility, then the driver's attach. */
    private int lateChecks(DeviceSpec spec, int pasid, IommufdObject table) {
        int ret = pasidCompat(spec.id(), pasid, table);
        return Err.isErr(ret) ? ret : dirtyCompat(spec, table);
    }

    /**
     * The driver's attach: a domain with dirty_ops (or a nested domain on one) needs an IOMMU that
     * tracks dirty pages (Intel's ssads_supported, AMD's HD support): -EINVAL.
     */
    protected int dirtyCompat(DeviceSpec spec, IommufdObject table) {
        HwptPaging domain = Objects.lastStage(table);
        return domain != null && domain.dirtyOps && !spec.dirtyTrackingCapable() ? Err.EINVAL : 0;
    }

    private static boolean pasidCompatible(IommufdObject table) {
        return table instanceof Sva || (table instanceof HwptPaging p && p.allocPasid)
                || (table instanceof HwptNested n && n.allocPasid);
    }

    /** The table attached at the point, or null. */
    protected IommufdObject attachedAt(int device, int pasid) {
        return attached.get(device).get(pasid);
    }

    /** The attach handle requests at the point go through (see {@link AttachLookup#handle}). */
    protected int handle(int device, int pasid) {
        Map<Integer, IommufdObject> points = attached.get(device);
        if (pasid == Pasid.NONE || points.containsKey(pasid) || !bounds.device(device).orElseThrow().guestPasidTable()) {
            return pasid;
        }
        return points.get(Pasid.NONE) instanceof HwptNested ? Pasid.NONE : pasid;
    }

    /** Takes the attachment's reference on its table. */
    protected void tableGet(IommufdObject table) {
        table.users++;
    }

    protected int checkTarget(DeviceSpec spec, int pasid, IommufdObject table) {
        // vfio_df_ioctl_attach_pt: a driver without pasid_attach_ioas refuses before the pt_id lookup.
        if (bounds.iommufd() && pasid != Pasid.NONE && spec.driver() == DriverKind.MDEV) {
            return Err.EOPNOTSUPP;
        }
        if (table == null) {
            return Err.ENOENT;
        }
        boolean onPasid = pasid != Pasid.NONE;
        // iommufd_device_change_pt switches on the kind: only an IOAS or an HWPT can be attached.
        if (table instanceof FaultQueue || table instanceof Objects.Viommu || table instanceof Objects.Vdevice
                || (table instanceof Ioas && onPasid) || (table instanceof Sva && !onPasid)) {
            return Err.EINVAL;
        }
        if (!onPasid || bounds.iommufd()) {
            return 0; // iommufd checks the PASID itself after the point (pasidCompat)
        }
        if (!spec.pasidCapable()) {
            return Err.EOPNOTSUPP;
        }
        if (pasid < 1 || pasid >= spec.pasids()) {
            return Err.EINVAL;
        }
        if (!pasidCompatible(table)) {
            return Err.EINVAL;
        }
        return pasids.lookup(spec.vm(), pasid) == null ? pasids.lookupError(spec.vm(), pasid) : 0;
    }
}
