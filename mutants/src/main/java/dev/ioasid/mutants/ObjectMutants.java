package dev.ioasid.mutants;

import dev.ioasid.contract.Bounds;
import dev.ioasid.reference.IoPageFaults;
import dev.ioasid.reference.IoPagetableOps;
import dev.ioasid.reference.Iotlb;
import dev.ioasid.reference.ObjectOps;
import dev.ioasid.reference.ObjectTables;
import dev.ioasid.reference.Objects.HwptPaging;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.Ioas;
import dev.ioasid.reference.Objects.IoptArea;
import dev.ioasid.reference.ReferenceImplementation;

/** Planted bugs in objects, namespaces and page tables. */
final class ObjectMutants {

    private ObjectMutants() {
    }

    /**
     * Object lookup falls back to the other VMs' tables: one VM can name another's objects.
     * Shortest trace (2): allocIoas(vm=1); queryObject(vm=2, id=1) -> ok instead of ENOENT.
     */
    static final class CrossVmLookup extends ReferenceImplementation {
        CrossVmLookup(Bounds bounds) {
            super(bounds);
        }

        @Override protected ObjectTables newObjectTables(Bounds bounds) {
            return new ObjectTables(bounds) {
                @Override protected IommufdObject lookup(int vm, int id) {
                    IommufdObject own = super.lookup(vm, id);
                    for (int other = 1; own == null && other < tables.length; other++) {
                        own = super.lookup(other, id);
                    }
                    return own;
                }
            };
        }
    }

    /**
     * Destroy does not check the refcount: an IOAS goes while an HWPT still points at it.
     * Shortest trace (3): allocIoas; allocHwptPaging(ioas=1); destroy(id=1) -> ok instead of EBUSY.
     */
    static final class DestroyIgnoresReferences extends ReferenceImplementation {
        DestroyIgnoresReferences(Bounds bounds) {
            super(bounds);
        }

        @Override protected ObjectOps newObjectOps(Bounds bounds, ObjectTables objects, IoPagetableOps iopt,
                                                IoPageFaults iopf) {
            return new ObjectOps(bounds, objects, iopt, iopf) {
                @Override protected boolean busy(IommufdObject obj) {
                    return false;
                }
            };
        }
    }

    /**
     * Any paging HWPT is taken as a stage-2 parent, not only one allocated with NEST_PARENT.
     * Shortest trace (3): allocIoas; allocHwptPaging(flags=0); allocHwptNested(parent=2) -> ok
     * instead of EINVAL.
     */
    static final class NestedOnAnyParent extends ReferenceImplementation {
        NestedOnAnyParent(Bounds bounds) {
            super(bounds);
        }

        @Override protected ObjectOps newObjectOps(Bounds bounds, ObjectTables objects, IoPagetableOps iopt,
                                                IoPageFaults iopf) {
            return new ObjectOps(bounds, objects, iopt, iopf) {
                @Override protected boolean validNestParent(IommufdObject parent) {
                    return parent instanceof HwptPaging;
                }
            };
        }
    }

    /**
     * The whole-area check on unmap is missing: a range that cuts an area removes all of it.
     * Shortest trace (3): allocIoas; map(iova=0, pages=2); unmap(iova=0, pages=1) -> ok(unmapped=2)
     * instead of ENOENT.
     */
    static final class PartialUnmapAllowed extends ReferenceImplementation {
        PartialUnmapAllowed(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected boolean cuts(IoptArea area, int iova, int pages) {
                    return false;
                }
            };
        }
    }

    /**
     * Unmap removes the area from the IOAS but leaves the PTEs in the domains: the device can still
     * reach pages user space gave back. Shortest trace (5): allocIoas; allocHwptPaging; map;
     * unmapAll; queryPages(hwpt) -> still mapped.
     */
    static final class MirrorKeptAfterUnmap extends ReferenceImplementation {
        MirrorKeptAfterUnmap(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected void unmapFromDomains(Ioas ioas, IoptArea area) {
                }
            };
        }
    }

    /**
     * IOAS copy leaves the destination's paging domains as they were: the copy is in the IOAS's
     * areas but no device translates through it. Shortest trace (5): allocIoas; map; allocHwptPaging;
     * copyArea(to another IOVA of the same IOAS); queryPages(hwpt) -> without the copied pages.
     */
    static final class CopyNotMirrored extends ReferenceImplementation {
        CopyNotMirrored(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected void insertCopy(Ioas ioas, IoptArea area) {
                    ioas.areas.put(area.iova, area);
                }
            };
        }
    }

    /**
     * IOAS copy does not check how the source's pages were pinned: a writable copy of pages mapped
     * read-only is made. Shortest trace (3):
     * allocIoas; map(READ); copyArea(access=READ_WRITE) -> ok instead of EPERM.
     */
    static final class CopyIgnoresReadOnlyPages extends ReferenceImplementation {
        CopyIgnoresReadOnlyPages(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected boolean pinnedWritable(IoptArea slice) {
                    return true;
                }
            };
        }
    }

    /**
     * A dirty bitmap read does not clear what it read: the next read reports the same pages again.
     * Shortest trace (8): allocIoas; map; allocHwptPaging(DIRTY_TRACKING); attach; setDirtyTracking(on);
     * dma(WRITE); getDirtyBitmap -> the page; getDirtyBitmap -> the page again instead of none.
     */
    static final class DirtyReadNotCleared extends ReferenceImplementation {
        DirtyReadNotCleared(Bounds bounds) {
            super(bounds);
        }

        @Override protected ObjectOps newObjectOps(Bounds bounds, ObjectTables objects, IoPagetableOps iopt,
                                                IoPageFaults iopf) {
            return new ObjectOps(bounds, objects, iopt, iopf) {
                @Override protected boolean clearsWhatItReads() {
                    return false;
                }
            };
        }
    }

    /**
     * Enabling dirty tracking keeps the bits set before: the snapshot is not clean. Shortest trace (8):
     * allocIoas; map; allocHwptPaging(DIRTY_TRACKING); attach; setDirtyTracking(on); dma(WRITE);
     * setDirtyTracking(on); getDirtyBitmap -> the page instead of none.
     */
    static final class DirtyEnableKeepsBits extends ReferenceImplementation {
        DirtyEnableKeepsBits(Bounds bounds) {
            super(bounds);
        }

        @Override protected ObjectOps newObjectOps(Bounds bounds, ObjectTables objects, IoPagetableOps iopt,
                                                IoPageFaults iopf) {
            return new ObjectOps(bounds, objects, iopt, iopf) {
                @Override protected void clearDirty(HwptPaging hwpt) {
                }
            };
        }
    }

    /**
     * A map at a chosen IOVA ignores the allowed range. Shortest trace (3): allocIoas;
     * allowIovas(iova=4, pages=4); mapAreaAuto(pages=1) -> ok(iova=1) instead of an IOVA from 4.
     */
    static final class AutoIovaIgnoresAllowed extends ReferenceImplementation {
        AutoIovaIgnoresAllowed(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected boolean allowed(Ioas ioas, int iova, int pages) {
                    return true;
                }
            };
        }
    }

    /**
     * A map at a chosen IOVA is not aligned as the kernel aligns it (page granularity only). Shortest
     * trace (2): allocIoas; mapAreaAuto(pages=2, host=0) -> ok(iova=1) instead of an even IOVA.
     */
    static final class AutoIovaUnaligned extends ReferenceImplementation {
        AutoIovaUnaligned(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected int autoAlignment(int pages, int host) {
                    return 1;
                }
            };
        }
    }

    /**
     * An attach reserves the device's IOVA ranges without checking what the IOAS already maps there
     * (iopt_reserve_iova's area and allowed-range check left out). Shortest trace (3): allocIoas;
     * map(iova=7, pages=1); attach(dev 1, RID, ioas) -> ok instead of EADDRINUSE (device 1 of the
     * defaults reserves page 7).
     */
    static final class ReservedAttachUnchecked extends ReferenceImplementation {
        ReservedAttachUnchecked(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected boolean rangeInUse(Ioas ioas, dev.ioasid.contract.ReservedRange range) {
                    return false;
                }
            };
        }
    }

    /**
     * A detach leaves the device's reserved ranges in the IOAS (iopt_remove_reserved_iova forgotten).
     * Shortest trace (4): allocIoas; attach(dev 1, RID, ioas); detach(dev 1, RID); map(iova=7) ->
     * EINVAL instead of ok.
     */
    static final class ReservedKeptOnDetach extends ReferenceImplementation {
        ReservedKeptOnDetach(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected void removeReserved(Ioas ioas, int owner) {
                }
            };
        }
    }

    /**
     * A map or copy at a fixed IOVA is not checked against the reserved ranges (iopt_check_iova's
     * reserved check left out; chosen IOVAs still avoid them). Shortest trace (3): allocIoas;
     * attach(dev 1, RID, ioas); map(iova=7) -> ok instead of EINVAL.
     */
    static final class FixedIovaIgnoresReserved extends ReferenceImplementation {
        FixedIovaIgnoresReserved(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected boolean fixedRangeReserved(Ioas ioas, int iova, int pages) {
                    return false;
                }
            };
        }
    }
}
