package dev.ioasid.reference;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.FaultLevel;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.Result;
import dev.ioasid.reference.Objects.HwptNested;
import dev.ioasid.reference.Objects.HwptPaging;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.Ioas;
import dev.ioasid.reference.Objects.IoptArea;
import dev.ioasid.reference.Objects.Sva;
import java.util.Map;

/**
 * The IOMMU's DMA path: the IOTLB first, then a walk of the tables (stage 1 then stage 2 for a
 * nested domain), filling the IOTLB on success. A fault reports the level whose walk failed.
 */
public class DmaPath {
    private final Bounds bounds;
    private final AttachLookup attached;
    private final MmSpace mm;
    private final Iotlb iotlb;

    public DmaPath(Bounds bounds, AttachLookup attached, MmSpace mm, Iotlb iotlb) {
        this.bounds = bounds;
        this.attached = attached;
        this.mm = mm;
        this.iotlb = iotlb;
    }

    /** The result of a table walk: a translation to cache, or the level that faulted. */
    public record Walk(Iotlb.Entry entry, FaultLevel fault) {
        static Walk ok(Iotlb.Entry entry) {
            return new Walk(entry, null);
        }

        static Walk faulted(FaultLevel level) {
            return new Walk(null, level);
        }

        boolean ok() {
            return entry != null;
        }
    }

    Result dma(int device, int pasid, int iova, Access access) {
        DeviceSpec spec = bounds.device(device).orElseThrow();
        if (!validRequest(bounds, spec, pasid, iova, access)) {
            return Result.failed(Err.toErrno(Err.EINVAL));
        }
        // The IOTLB is tagged by the attach handle: PASIDs that go through the RID's nested domain share its entries.
        int handle = attached.handle(device, pasid);
        IommufdObject table = attached.attachedAt(device, handle);
        if (table == null) {
            return new Result.Faulted(FaultLevel.BLOCKED);
        }
        Iotlb.Entry cached = iotlb.lookup(device, handle, iova);
        if (cached != null && cached.access().permits(access)) {
            markDirty(table, cached, access);
            return new Result.Translated(cached.host());
        }
        Walk walk = walk(table, iova, access);
        if (!walk.ok()) {
            return new Result.Faulted(walk.fault());
        }
        iotlb.fill(device, handle, iova, walk.entry());
        markDirty(table, walk.entry(), access);
        return new Result.Translated(walk.entry().host());
    }

    /**
     * A write leaves the dirty bit of the last-stage PTE it went through (the paging domain, or the
     * parent of a nested one) while that domain tracks dirty pages.
     */
    protected void markDirty(IommufdObject table, Iotlb.Entry used, Access access) {
        HwptPaging domain = Objects.lastStage(table);
        if (domain != null && domain.dirtyOps && domain.dirtyTracking && access.permits(Access.WRITE)) {
            domain.table.setDirty(used.stage2Iova());
        }
    }

    /** Walks the tables as they are in memory, without the IOTLB (page requests use it too). */
    Walk walk(IommufdObject table, int iova, Access access) {
        if (table instanceof Ioas ioas) {
            Map.Entry<Integer, IoptArea> area = ioas.areas.floorEntry(iova);
            if (area == null || area.getValue().last() < iova || !area.getValue().access.permits(access)) {
                return Walk.faulted(FaultLevel.PAGING);
            }
            IoptArea a = area.getValue();
            return Walk.ok(new Iotlb.Entry(a.host + iova - a.iova, a.access, ioas, iova, null, 0));
        }
        if (table instanceof HwptPaging paging) {
            long pte = paging.table.lookup(iova);
            if (!IoPageTable.present(pte) || !IoPageTable.access(pte).permits(access)) {
                return Walk.faulted(FaultLevel.PAGING);
            }
            return Walk.ok(new Iotlb.Entry(IoPageTable.host(pte), IoPageTable.access(pte), paging.ioas, iova, null, 0));
        }
        if (table instanceof HwptNested nested) {
            long s1 = nested.stage1[iova];
            if (!IoPageTable.present(s1) || !IoPageTable.access(s1).permits(access)) {
                return Walk.faulted(FaultLevel.STAGE1);
            }
            int gpa = IoPageTable.host(s1);
            long s2 = nested.parent.table.lookup(gpa);
            if (!IoPageTable.present(s2) || !IoPageTable.access(s2).permits(access)) {
                return Walk.faulted(FaultLevel.STAGE2);
            }
            Access both = intersect(IoPageTable.access(s1), IoPageTable.access(s2));
            return Walk.ok(new Iotlb.Entry(IoPageTable.host(s2), both, nested.parent.ioas, gpa, nested, 0));
        }
        Sva sva = (Sva) table;
        long pte = mm.lookup(sva.mm, iova);
        if (!IoPageTable.present(pte) || !IoPageTable.access(pte).permits(access)) {
            return Walk.faulted(FaultLevel.SVA);
        }
        return Walk.ok(new Iotlb.Entry(IoPageTable.host(pte), IoPageTable.access(pte), null, -1, null, sva.mm));
    }

    /** What the IOMMU accepts from a device: an address in range, some access, a PASID it can issue. */
    static boolean validRequest(Bounds bounds, DeviceSpec spec, int pasid, int iova, Access access) {
        boolean pasidOk = pasid == Pasid.NONE || (pasid >= 1 && pasid < spec.pasids());
        return pasidOk && bounds.isIova(iova) && access != Access.NONE;
    }

    private static Access intersect(Access a, Access b) {
        boolean read = a.permits(Access.READ) && b.permits(Access.READ);
        boolean write = a.permits(Access.WRITE) && b.permits(Access.WRITE);
        return read && write ? Access.READ_WRITE : read ? Access.READ : write ? Access.WRITE : Access.NONE;
    }
}
