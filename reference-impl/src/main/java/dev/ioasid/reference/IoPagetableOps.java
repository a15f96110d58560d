package dev.ioasid.reference;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Area;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.PageMapping;
import dev.ioasid.contract.ReservedRange;
import dev.ioasid.reference.Objects.HwptPaging;
import dev.ioasid.reference.Objects.Ioas;
import dev.ioasid.reference.Objects.IoptArea;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Map and unmap on an IOAS, as {@code io_pagetable.c} does: an interval tree of areas, and every
 * paging domain built from the IOAS filled or cleared page by page in step with it.
 */
public class IoPagetableOps {
    private final Bounds bounds;
    private final Iotlb iotlb;

    public IoPagetableOps(Bounds bounds, Iotlb iotlb) {
        this.bounds = bounds;
        this.iotlb = iotlb;
    }

    int map(Ioas ioas, int iova, int pages, int host, Access access) {
        // The uAPI's IOVA and length are u64: ends are computed in 64 bits, as check_add_overflow would.
        long last = (long) iova + pages - 1;
        if (pages < 1 || access == Access.NONE || iova < 0 || last >= bounds.iovaPages()
                || host < 0 || (long) host + pages > bounds.hostPages()) {
            return Err.EINVAL;
        }
        if (fixedRangeReserved(ioas, iova, pages)) {
            return Err.EINVAL; // iopt_check_iova: a reserved range first
        }
        if (overlapsArea(ioas, iova, pages)) {
            return Err.EEXIST;
        }
        IoptArea area = new IoptArea(iova, pages, host, access);
        ioas.areas.put(iova, area);
        for (HwptPaging domain : ioas.domains) {
            fill(domain.table, area);
        }
        return 0;
    }

    /**
     * iopt_alloc_iova then the map: first fit from the lowest IOVA, never 0, aligned as
     * {@link #autoAlignment}, within the allowed range if there is one, clear of every area and every
     * reserved range (interval_tree_for_each_double_span over both trees). Returns
     * the IOVA, or -errno.
     */
    int mapAuto(Ioas ioas, int pages, int host, Access access) {
        if (pages < 1 || host < 0 || (long) host + pages > bounds.hostPages()) {
            return Err.EINVAL;
        }
        int align = autoAlignment(pages, host);
        for (long iova = align; iova + pages <= bounds.iovaPages(); iova += align) {
            if (allowed(ioas, (int) iova, pages) && !overlapsArea(ioas, (int) iova, pages)
                    && !overlapsReserved(ioas, (int) iova, pages)) {
                int ret = map(ioas, (int) iova, pages, host, access);
                return Err.isErr(ret) ? ret : (int) iova;
            }
        }
        return Err.ENOSPC;
    }

    /** The alignment iopt_alloc_iova wants: the length's power of two, the address's lowest bit, a huge page at most. */
    protected int autoAlignment(int pages, int host) {
        int byLength = Integer.highestOneBit(pages) == pages ? pages : Integer.highestOneBit(pages) << 1;
        int alignment = host == 0 ? byLength : Math.min(byLength, Integer.lowestOneBit(host));
        return Math.min(alignment, 512);
    }

    /** Whether the range lies in the IOAS's allowed range (any range is, when none is set). */
    protected boolean allowed(Ioas ioas, int iova, int pages) {
        return ioas.allowedPages == 0
                || (iova >= ioas.allowedIova && (long) iova + pages <= (long) ioas.allowedIova + ioas.allowedPages);
    }

    /**
     * Whether {@code [iova, iova + pages)} (within the bounds) meets an area: areas are disjoint, so
     * only the last one starting in or before the range can reach into it.
     */
    private static boolean overlapsArea(Ioas ioas, int iova, int pages) {
        Map.Entry<Integer, IoptArea> before = ioas.areas.floorEntry(iova + pages - 1);
        return before != null && before.getValue().last() >= iova;
    }

    /** Whether {@code [iova, iova + pages)} meets a reserved range (iopt_reserved_iter_first). */
    protected boolean overlapsReserved(Ioas ioas, long iova, long pages) {
        for (Objects.IoptReserved r : ioas.reserved) {
            if (r.iova <= iova + pages - 1 && r.last >= iova) {
                return true;
            }
        }
        return false;
    }

    /** iopt_check_iova's reserved check, for a map or copy at a fixed IOVA. */
    protected boolean fixedRangeReserved(Ioas ioas, int iova, int pages) {
        return overlapsReserved(ioas, iova, pages);
    }

    /**
     * iopt_table_enforce_dev_resv_regions: reserves each range of the device, owned by it; a range
     * that meets an area or the allowed range is -EADDRINUSE (iopt_reserve_iova), and what the device
     * reserved so far is taken back.
     */
    int enforceDeviceReserved(Ioas ioas, DeviceSpec device) {
        for (ReservedRange range : device.reserved()) {
            if (rangeInUse(ioas, range)) {
                removeReserved(ioas, device.id());
                return Err.EADDRINUSE;
            }
            ioas.reserved.add(new Objects.IoptReserved(range.iova(), range.iova() + range.pages() - 1, device.id()));
        }
        return 0;
    }

    /** iopt_reserve_iova's check: an area or the allowed range meets the range. */
    protected boolean rangeInUse(Ioas ioas, ReservedRange range) {
        long last = (long) range.iova() + range.pages() - 1;
        boolean inAllowed = ioas.allowedPages > 0 && ioas.allowedIova <= last
                && (long) ioas.allowedIova + ioas.allowedPages - 1 >= range.iova();
        return inAllowed || overlapsArea(ioas, range.iova(), range.pages());
    }

    /** iopt_remove_reserved_iova: every range the device owns goes. */
    protected void removeReserved(Ioas ioas, int owner) {
        ioas.reserved.removeIf(r -> r.owner == owner);
    }

    /**
     * iopt_set_allow_iova with one range, or none ({@code pages} 0): a range that meets a reserved one
     * is -EADDRINUSE, and the old allowed range stays.
     */
    int allowIovas(Ioas ioas, int iova, int pages) {
        if (pages < 0 || iova < 0) {
            return Err.EINVAL;
        }
        if (pages > 0 && overlapsReserved(ioas, iova, pages)) {
            return Err.EADDRINUSE;
        }
        ioas.allowedIova = pages == 0 ? 0 : iova;
        ioas.allowedPages = pages;
        return 0;
    }

    /** Unmaps whole areas in {@code [iova, iova + pages)}; returns the pages removed or -errno. */
    int unmap(Ioas ioas, int iova, int pages) {
        if (pages < 1 || iova < 0) {
            return Err.EINVAL;
        }
        List<IoptArea> hit = new ArrayList<>();
        long last = (long) iova + pages - 1;
        Integer first = ioas.areas.floorKey(iova);
        for (IoptArea area : ioas.areas.tailMap(first == null ? iova : first, true).values()) {
            if (area.iova > last) {
                break;
            }
            if (area.last() >= iova) {
                if (cuts(area, iova, pages)) {
                    if (bounds.iommufd() && !hit.isEmpty()) {
                        // iopt_unmap_iova_range removes area by area: those before the cut one are gone.
                        remove(ioas, hit);
                    }
                    return Err.ENOENT;
                }
                hit.add(area);
            }
        }
        if (hit.isEmpty()) {
            return Err.ENOENT;
        }
        return remove(ioas, hit);
    }

    /**
     * iopt_get_pages: the parts of the areas covering {@code [iova, iova + pages)}, as slices (an area
     * may be cut at either end); 0, or -EINVAL for no pages, -ENOENT for a hole.
     */
    int getPages(Ioas ioas, int iova, int pages, List<IoptArea> slices) {
        if (pages < 1 || iova < 0) {
            return Err.EINVAL;
        }
        long at = iova;
        long end = (long) iova + pages;
        Integer first = ioas.areas.floorKey(iova);
        for (IoptArea area : ioas.areas.tailMap(first == null ? iova : first, true).values()) {
            if (area.last() < at) {
                continue;
            }
            if (area.iova > at) {
                return Err.ENOENT;
            }
            long sliceEnd = Math.min(end, (long) area.last() + 1);
            slices.add(new IoptArea((int) at, (int) (sliceEnd - at), area.host + (int) (at - area.iova), area.access,
                    area.pagesWritable));
            at = sliceEnd;
            if (at >= end) {
                return 0;
            }
        }
        return Err.ENOENT;
    }

    /**
     * iopt_map_pages at a fixed IOVA: the slices back to back from {@code iova}, each an area of its
     * own sharing its pages; the range checked first (-EINVAL outside or over a reserved range, -EEXIST
     * over an area), then
     * each slice's pages for WRITE (-EPERM); nothing is mapped unless all are.
     */
    int mapPages(Ioas ioas, int iova, List<IoptArea> slices, int srcIova, Access access) {
        int pages = slices.stream().mapToInt(a -> a.pages).sum();
        long last = (long) iova + pages - 1;
        if (iova < 0 || last >= bounds.iovaPages() || fixedRangeReserved(ioas, iova, pages)) {
            return Err.EINVAL;
        }
        if (overlapsArea(ioas, iova, pages)) {
            return Err.EEXIST;
        }
        for (IoptArea slice : slices) {
            if (access.permits(Access.WRITE) && !pinnedWritable(slice)) {
                return Err.EPERM; // iopt_insert_area: IOMMU_WRITE on pages pinned read-only
            }
        }
        for (IoptArea slice : slices) {
            insertCopy(ioas, new IoptArea(iova + (slice.iova - srcIova), slice.pages, slice.host, access,
                    slice.pagesWritable));
        }
        return 0;
    }

    /** Whether the slice's pages were pinned writable (iopt_pages.writable). */
    protected boolean pinnedWritable(IoptArea slice) {
        return slice.pagesWritable;
    }

    /** A copied area joins the IOAS and every paging domain built from it (iopt_fill_domains_pages). */
    protected void insertCopy(Ioas ioas, IoptArea area) {
        ioas.areas.put(area.iova, area);
        for (HwptPaging domain : ioas.domains) {
            fill(domain.table, area);
        }
    }

    int unmapAll(Ioas ioas) {
        return remove(ioas, new ArrayList<>(ioas.areas.values()));
    }

    /** Fills a new domain with every area of its IOAS ({@code iopt_table_add_domain}). */
    void fillDomain(Ioas ioas, HwptPaging domain) {
        for (IoptArea area : ioas.areas.values()) {
            fill(domain.table, area);
        }
    }

    List<Area> areas(Ioas ioas) {
        List<Area> areas = new ArrayList<>();
        for (IoptArea a : ioas.areas.values()) {
            areas.add(new Area(a.iova, a.pages, a.host, a.access));
        }
        return areas;
    }

    List<PageMapping> pages(Ioas ioas) {
        List<PageMapping> pages = new ArrayList<>();
        for (IoptArea a : ioas.areas.values()) {
            for (int i = 0; i < a.pages; i++) {
                pages.add(new PageMapping(a.iova + i, a.host + i, a.access));
            }
        }
        return pages;
    }

    /** Whether the range covers only part of the area (unmap takes whole areas only). */
    protected boolean cuts(IoptArea area, int iova, int pages) {
        return area.iova < iova || area.last() > (long) iova + pages - 1;
    }

    /** Clears an unmapped area from every domain; the kernel must do this before unmap returns. */
    protected void unmapFromDomains(Ioas ioas, IoptArea area) {
        for (HwptPaging domain : ioas.domains) {
            for (int i = 0; i < area.pages; i++) {
                domain.table.unmap(area.iova + i);
            }
        }
        flushIotlb(ioas, area);
    }

    /** No device may translate through the area once unmap returns: flush what the IOTLB holds of it. */
    protected void flushIotlb(Ioas ioas, IoptArea area) {
        iotlb.flushIoas(ioas, area.iova, area.pages);
    }

    private int remove(Ioas ioas, List<IoptArea> areas) {
        int removed = 0;
        for (IoptArea area : areas) {
            ioas.areas.remove(area.iova);
            unmapFromDomains(ioas, area);
            removed += area.pages;
        }
        return removed;
    }

    private static void fill(IoPageTable table, IoptArea area) {
        for (int i = 0; i < area.pages; i++) {
            table.map(area.iova + i, area.host + i, area.access);
        }
    }
}
