package dev.ioasid.reference;

import dev.ioasid.contract.Access;
import dev.ioasid.reference.Objects.HwptNested;
import dev.ioasid.reference.Objects.Ioas;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The IOMMU's translation cache, per attach point: IOVA page to host page with the access the walk
 * granted, tagged with what it was built from so that each flush drops exactly what it must. It
 * really caches: a stage-1 entry the guest rewrote keeps translating the old way until the guest
 * invalidates it, as hardware does.
 */
public class Iotlb {

    /**
     * A cached translation and its sources: the IOAS behind the stage-2 or one-level table and the
     * page of it that was used ({@code stage2Iova}), the stage-1 table if any, the mm for SVA (0 if none).
     */
    public record Entry(int host, Access access, Ioas ioas, int stage2Iova, HwptNested stage1, int mm) {
    }

    private final Map<Long, Map<Integer, Entry>> points = new HashMap<>();

    Entry lookup(int device, int pasid, int iova) {
        Map<Integer, Entry> cache = points.get(key(device, pasid));
        return cache == null ? null : cache.get(iova);
    }

    void fill(int device, int pasid, int iova, Entry entry) {
        points.computeIfAbsent(key(device, pasid), k -> new HashMap<>()).put(iova, entry);
    }

    /** A domain change at the point: everything it cached goes. */
    void flushPoint(int device, int pasid) {
        points.remove(key(device, pasid));
    }

    /** Unmap of an IOAS range: every translation built through those pages of the IOAS, at every point. */
    protected void flushIoas(Ioas ioas, int iova, int pages) {
        flushWhere((page, e) -> e.ioas() == ioas && e.stage2Iova() >= iova && e.stage2Iova() < (long) iova + pages);
    }

    /** Stage-1 invalidate of a range of a nested table. */
    protected void flushStage1(HwptNested nested, int iova, int pages) {
        flushWhere((page, e) -> e.stage1() == nested && page >= iova && page < (long) iova + pages);
    }

    /**
     * A vIOMMU invalidation entry naming a device: its translations built through a nested table
     * of that vIOMMU, in the range, at every attach point of the device.
     */
    protected void flushDeviceStage1(int device, Objects.Viommu viommu, int iova, int pages) {
        for (Map.Entry<Long, Map<Integer, Entry>> point : points.entrySet()) {
            if ((int) (point.getKey() >>> 32) != device) {
                continue;
            }
            point.getValue().entrySet().removeIf(e -> e.getValue().stage1() != null
                    && e.getValue().stage1().viommu == viommu && e.getKey() >= iova && e.getKey() < (long) iova + pages);
        }
    }

    /** The process unmapped a page: the mmu notifier drops SVA translations of it. */
    protected void flushMm(int mm, int page) {
        flushWhere((iova, e) -> e.mm() == mm && iova == page);
    }

    private void flushWhere(java.util.function.BiPredicate<Integer, Entry> match) {
        for (Map<Integer, Entry> cache : points.values()) {
            Iterator<Map.Entry<Integer, Entry>> it = cache.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Integer, Entry> e = it.next();
                if (match.test(e.getKey(), e.getValue())) {
                    it.remove();
                }
            }
        }
    }

    private static long key(int device, int pasid) {
        return ((long) device << 32) | (pasid & 0xffffffffL);
    }
}
