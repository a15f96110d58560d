package dev.ioasid.reference;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;

/** The processes' page tables, as the CPU's MMU sees them: one PTE per virtual page. */
public class MmSpace {
    private final long[][] ptes;
    private final Bounds bounds;
    private final Iotlb iotlb;

    public MmSpace(Bounds bounds, Iotlb iotlb) {
        this.bounds = bounds;
        this.iotlb = iotlb;
        this.ptes = new long[bounds.mms() + 1][bounds.mmPages()];
    }

    int map(int mm, int page, int host, Access access) {
        if (page < 0 || page >= bounds.mmPages() || host < 0 || host >= bounds.hostPages() || access == Access.NONE) {
            return Err.EINVAL;
        }
        if (IoPageTable.present(ptes[mm][page])) {
            return Err.EEXIST;
        }
        ptes[mm][page] = IoPageTable.pte(host, access);
        return 0;
    }

    int unmap(int mm, int page) {
        if (page < 0 || page >= bounds.mmPages()) {
            return Err.EINVAL;
        }
        if (!IoPageTable.present(ptes[mm][page])) {
            return Err.ENOENT;
        }
        ptes[mm][page] = 0;
        notifyInvalidate(mm, page);
        return 0;
    }

    /** The mmu notifier: the IOMMU must stop translating the page before unmap returns. */
    protected void notifyInvalidate(int mm, int page) {
        iotlb.flushMm(mm, page);
    }

    /** The PTE of a virtual page, or 0. */
    long lookup(int mm, int page) {
        return page >= 0 && page < bounds.mmPages() ? ptes[mm][page] : 0;
    }
}
