package com.example.ioasid;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Area;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceResponse;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.FaultGroup;
import dev.ioasid.contract.FaultLevel;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.ObjectKind;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Operation.*;
import dev.ioasid.contract.PageMapping;
import dev.ioasid.contract.PasidState;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.contract.ReservedRange;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.contract.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A small implementation of the IOASID / PASID contract, as a third party would write one from
 * SPEC.md, sharing nothing with the project's model or reference implementation but the contract
 * vocabulary: mutable maps, the lowest free ID, cookies counted per fault queue, no IOTLB (every DMA
 * sees the current stage-1 entry, one of the choices XLT-4 allows). A contract error is thrown as
 * {@link Refused} and returned as -errno.
 *
 * <p>Two profiles, chosen by the bounds: IOASID_2021 and IOMMUFD (iommufd as merged: no sets,
 * iommufd's errnos and check orders, RID/PASID compatibility, cookies reused once answered, page
 * requests without a handler answered at once). Each iommufd difference is marked "iommufd:".
 *
 * <p>iommufd's vIOMMUs (VIOMMU-1..6) exist only under IOMMUFD: a vIOMMU sits on a NEST_PARENT paging
 * HWPT, vDEVICEs give devices virtual IDs in it, nested HWPTs may be allocated on it, and it takes
 * invalidations by virtual ID. Without an IOTLB those invalidations have nothing to flush.
 *
 * <p>iommufd's copy (IOAS-10) also exists only under IOMMUFD. Each area remembers whether its pages
 * were pinned writable: a map pins them so if its access permits WRITE, and a copy keeps the pinning
 * of the area it came from whatever its own access, so a writable copy of read-only pages is EPERM.
 *
 * <p>iommufd's dirty tracking (DIRTY-1..6) exists only under IOMMUFD too. A paging HWPT allocated with
 * DIRTY_TRACKING keeps a set of dirty IOVA pages, filled by DMA writes while tracking is on (through a
 * nested HWPT: the stage-1 entry's gpa, in the parent) and emptied by enabling, by a clearing read, and
 * page by page as pages are unmapped. It attaches only to devices whose IOMMU tracks dirty pages.
 *
 * <p>iommufd's chosen IOVAs (IOAS-11, IOAS-12) exist only under IOMMUFD as well. An IOAS may carry one
 * allowed range; a map without a fixed IOVA takes the lowest aligned IOVA that is not 0, fits the
 * bounds and that range, and meets no area. Fixed maps and copies ignore the range.
 *
 * <p>iommufd's reserved IOVA ranges (RESV-1..5) are not stored: a range is reserved in an IOAS while
 * its device's RID is attached to a table behind that IOAS, so they are worked out from the
 * attachments when needed. Under IOASID_2021 nothing is reserved.
 */
public final class SmallIoasid implements IoasidImplementation {

    /** How the kit and the command line make instances; registered for ServiceLoader in META-INF/services. */
    public static final class Factory implements ImplementationFactory {
        @Override public String name() { return "small-ioasid"; }

        @Override public IoasidImplementation create(Bounds bounds) { return new SmallIoasid(bounds); }
    }

    private static final class Refused extends RuntimeException {
        final Errno errno;

        Refused(Errno errno) {
            super(errno.name(), null, false, false);
            this.errno = errno;
        }
    }

    private record Key(int a, int b) { }

    /** A completed page request group; {@code via} is the attach point it went through (its PASID, or 0 through the RID: PRQ-8). */
    private record Group(long serial, int device, int pasid, int group, List<RequestedPage> requests, int via) { }

    /** One object of a VM's namespace; the fields that matter depend on the kind. */
    private static final class Obj {
        final ObjectKind kind;
        int users;
        final TreeMap<Integer, Area> areas = new TreeMap<>();          // IOAS
        final Map<Integer, Boolean> writable = new HashMap<>();         // IOAS: area iova -> pages pinned writable
        int ioas;                                                        // HWPT_PAGING
        boolean nestParent;
        boolean allocPasid;
        int fault;                                                       // paging or nested
        TreeMap<Integer, PageMapping> pages = new TreeMap<>();
        int parent;                                                      // HWPT_NESTED (on a vIOMMU: the vIOMMU's HWPT)
        int viommu;                                                      // HWPT_NESTED on a vIOMMU, or VDEVICE
        int hwpt;                                                        // VIOMMU
        int device;                                                      // VDEVICE
        int virtId;
        final Map<Integer, int[]> stage1 = new HashMap<>();             // iova -> {gpa, access ordinal}
        List<Group> delivered = new ArrayList<>();                       // FAULT_QUEUE
        Map<Integer, Group> awaiting = new LinkedHashMap<>();
        int nextCookie = 1;
        int mm;                                                          // SVA
        boolean auto;                                                    // iommufd: an automatic paging HWPT (ATT-13)
        boolean dirtyCapable;                                            // iommufd: HWPT_PAGING with DIRTY_TRACKING
        boolean tracking;
        final TreeSet<Integer> dirty = new TreeSet<>();                  // dirty IOVA pages, all mapped (DIRTY-6)
        int allowedIova;                                                 // iommufd IOAS: the allowed range, if
        int allowedPages;                                                // allowedPages > 0 (IOAS-12)

        Obj(ObjectKind kind) {
            this.kind = kind;
        }

        void addArea(Area area, boolean pinnedWritable) {
            areas.put(area.iova(), area);
            writable.put(area.iova(), pinnedWritable);
        }

        void removeArea(int iova) {
            areas.remove(iova);
            writable.remove(iova);
        }

        List<Integer> references() {
            int first = switch (kind) {
                case HWPT_PAGING -> ioas;
                case HWPT_NESTED -> viommu != 0 ? viommu : parent;      // VIOMMU-3: the vIOMMU, not its HWPT
                case VIOMMU -> hwpt;
                case VDEVICE -> viommu;
                default -> 0;
            };
            List<Integer> refs = new ArrayList<>();
            if (first != 0) {
                refs.add(first);
                if (fault != 0) {
                    refs.add(fault);
                }
            }
            return refs;
        }
    }

    private final Bounds bounds;
    private final boolean iommufd;
    private final Map<Integer, int[]> sets = new HashMap<>();              // vm -> {quota, used}
    private final Map<Integer, int[]> pasids = new HashMap<>();            // pasid -> {vm, freePending, refs}
    private final Map<Key, Obj> objects = new HashMap<>();                 // (vm, id)
    private final Map<Key, Integer> attached = new HashMap<>();            // (device, pasid) -> table
    private final Map<Key, Area> mm = new HashMap<>();                     // (mm, page) -> host and access
    private final Map<List<Integer>, List<RequestedPage>> partial = new HashMap<>();
    private final Map<Integer, List<DeviceResponse>> responses = new HashMap<>();
    private long serial;

    public SmallIoasid(Bounds bounds) {
        this.bounds = bounds;
        this.iommufd = bounds.iommufd();
    }

    @Override
    public Result apply(Operation op) {
        if (iommufd && isSetCall(op)) {
            return Result.failed(Errno.ENOTTY);        // GEN-2: iommufd has no such ioctl
        }
        if (!iommufd && isIommufdOnlyCall(op)) {
            return Result.failed(Errno.ENOTTY);        // GEN-3: the 2021 proposal has no vIOMMU, copy nor chosen IOVA
        }
        if (op.namesOutOfBounds(bounds)) {
            return Result.failed(Errno.EINVAL);
        }
        try {
            return dispatch(op);
        } catch (Refused refused) {
            return Result.failed(refused.errno);
        }
    }

    /** The IOASID set calls (layer A), which iommufd does not have. */
    private static boolean isSetCall(Operation op) {
        return op instanceof CreateSet || op instanceof FreeSet || op instanceof QuerySet || op instanceof AllocPasid
                || op instanceof FreePasid || op instanceof QueryPasid;
    }

    /** The vIOMMU calls, the copy, the chosen-IOVA calls and the dirty tracking calls, which only iommufd has. */
    private static boolean isIommufdOnlyCall(Operation op) {
        return op instanceof AllocViommu || op instanceof AllocVdevice || op instanceof InvalidateViommu
                || op instanceof CopyArea || op instanceof MapAreaAuto || op instanceof AllowIovas
                || op instanceof SetDirtyTracking || op instanceof GetDirtyBitmap;
    }

    private Result dispatch(Operation op) {
        if (op instanceof CreateSet o) return createSet(o);
        if (op instanceof FreeSet o) return freeSet(o);
        if (op instanceof QuerySet o) {
            int[] s = set(o.vm(), Errno.ENOENT);
            return new Result.SetUsage(s[0], s[1]);
        }
        if (op instanceof AllocPasid o) return allocPasid(o);
        if (op instanceof FreePasid o) return freePasid(o);
        if (op instanceof QueryPasid o) {
            int[] p = ownedPasid(o.vm(), o.pasid());
            return new Result.PasidStatus(p[1] == 1 ? PasidState.FREE_PENDING : PasidState.ACTIVE, p[2]);
        }
        if (op instanceof AllocIoas o) return allocate(o.vm(), new Obj(ObjectKind.IOAS));
        if (op instanceof AllocFaultQueue o) return allocate(o.vm(), new Obj(ObjectKind.FAULT_QUEUE));
        if (op instanceof AllocSva o) {
            Obj sva = new Obj(ObjectKind.SVA);
            sva.mm = o.mm();
            return allocate(o.vm(), sva);
        }
        if (op instanceof AllocHwptPaging o) return allocHwptPaging(o);
        if (op instanceof AllocHwptNested o) return allocHwptNested(o);
        if (op instanceof Destroy o) return destroy(o);
        if (op instanceof QueryObject o) {
            Obj x = obj(o.vm(), o.id());
            return new Result.ObjectStatus(x.kind, x.users);
        }
        if (op instanceof MapArea o) return map(o);
        if (op instanceof MapAreaAuto o) return mapAuto(o);
        if (op instanceof AllowIovas o) return allowIovas(o);
        if (op instanceof CopyArea o) return copy(o);
        if (op instanceof Unmap o) return unmap(o);
        if (op instanceof UnmapAll o) return unmapAll(o);
        if (op instanceof QueryAreas o) return new Result.Areas(List.copyOf(ioas(o.vm(), o.ioas()).areas.values()));
        if (op instanceof QueryPages o) return queryPages(o);
        if (op instanceof Invalidate o) return invalidate(o);
        if (op instanceof SetDirtyTracking o) return setDirtyTracking(o);
        if (op instanceof GetDirtyBitmap o) return getDirtyBitmap(o);
        if (op instanceof AllocViommu o) return allocViommu(o);
        if (op instanceof AllocVdevice o) return allocVdevice(o);
        if (op instanceof InvalidateViommu o) return invalidateViommu(o);
        if (op instanceof Attach o) return attach(o);
        if (op instanceof Replace o) return replace(o);
        if (op instanceof Detach o) return detach(o);
        if (op instanceof QueryAttachment o) {
            return new Result.AttachedTable(attached.getOrDefault(new Key(o.device(), o.pasid()), 0));
        }
        if (op instanceof MmMap o) return mmMap(o);
        if (op instanceof MmUnmap o) return mmUnmap(o);
        if (op instanceof WriteStage1 o) return writeStage1(o);
        if (op instanceof Dma o) return dma(o);
        if (op instanceof PageRequest o) return pageRequest(o);
        if (op instanceof QueryResponses o) return new Result.Responses(List.copyOf(responses.getOrDefault(o.device(), List.of())));
        if (op instanceof Operation.DeliverFault) return Result.failed(Errno.ENOENT); // groups are routed as they complete
        if (op instanceof ReadFaults o) return readFaults(o);
        if (op instanceof Respond o) return respond(o);
        throw new IllegalArgumentException("an operation this implementation does not know: " + op);
    }

    // ---- sets and PASIDs -----------------------------------------------------------------------

    private int[] set(int vm, Errno missing) {
        int[] s = sets.get(vm);
        if (s == null) {
            throw new Refused(missing);
        }
        return s;
    }

    private Result createSet(CreateSet o) {
        if (o.quota() < 0) throw new Refused(Errno.EINVAL);
        if (sets.containsKey(o.vm())) throw new Refused(Errno.EEXIST);
        int left = bounds.capacity() - sets.values().stream().mapToInt(s -> s[0]).sum();
        int quota = o.quota() == 0 ? left : o.quota();
        if (quota == 0 || quota > left) throw new Refused(Errno.ENOSPC);
        sets.put(o.vm(), new int[] {quota, 0});
        return Result.done();
    }

    private Result freeSet(FreeSet o) {
        if (set(o.vm(), Errno.ENOENT)[1] > 0) throw new Refused(Errno.EBUSY);
        sets.remove(o.vm());
        return Result.done();
    }

    private Result allocPasid(AllocPasid o) {
        int[] s = sets.get(o.vm());
        if (s == null || o.min() > o.max() || o.min() < 1 || o.max() > bounds.pasidMax()) throw new Refused(Errno.EINVAL);
        if (s[1] >= s[0]) throw new Refused(Errno.ENOSPC);
        for (int pasid = o.min(); pasid <= o.max(); pasid++) {
            if (!pasids.containsKey(pasid)) {
                pasids.put(pasid, new int[] {o.vm(), 0, 0});
                s[1]++;
                return new Result.Allocated(pasid);
            }
        }
        throw new Refused(Errno.ENOSPC);
    }

    private int[] ownedPasid(int vm, int pasid) {
        int[] p = pasids.get(pasid);
        if (p == null) throw new Refused(Errno.ENOENT);
        if (p[0] != vm) throw new Refused(Errno.EACCES);
        return p;
    }

    private Result freePasid(FreePasid o) {
        int[] p = ownedPasid(o.vm(), o.pasid());
        if (p[1] == 0) {
            if (p[2] > 0) {
                p[1] = 1;          // free pending until the last attachment goes
            } else {
                release(o.pasid());
            }
        }
        return Result.done();
    }

    private void release(int pasid) {
        int[] p = pasids.remove(pasid);
        sets.get(p[0])[1]--;
    }

    private void pasidRefs(int pasid, int delta) {
        int[] p = pasids.get(pasid);
        p[2] += delta;
        if (p[2] == 0 && p[1] == 1) {
            release(pasid);
        }
    }

    // ---- objects -------------------------------------------------------------------------------

    private Obj obj(int vm, int id) {
        Obj o = objects.get(new Key(vm, id));
        if (o == null) throw new Refused(Errno.ENOENT);
        return o;
    }

    /** The object, which must be of this kind: ENOENT if absent (OBJ-1), EINVAL if another kind. */
    private Obj obj(int vm, int id, ObjectKind kind) {
        Obj o = obj(vm, id);
        if (o.kind != kind) throw new Refused(Errno.EINVAL);
        return o;
    }

    private Result allocate(int vm, Obj o) {
        return allocate(vm, o, null);
    }

    /**
     * The lowest free ID (OBJ-2). {@code afterId}, if not null, is a check the kernel makes only once
     * the ID is reserved (iommufd looks the fault queue up after allocating the HWPT).
     */
    private Result allocate(int vm, Obj o, Runnable afterId) {
        for (int id = 1; id <= bounds.maxObjects(); id++) {
            if (!objects.containsKey(new Key(vm, id))) {
                if (afterId != null) {
                    afterId.run();
                }
                objects.put(new Key(vm, id), o);
                o.references().forEach(ref -> objects.get(new Key(vm, ref)).users++);
                return new Result.Allocated(id);
            }
        }
        throw new Refused(Errno.ENOSPC);
    }

    private void checkFault(int vm, int fault) {
        if (fault != 0) obj(vm, fault, ObjectKind.FAULT_QUEUE);
    }

    /** iommufd: a typed lookup of the fault queue, so an unknown ID and another kind are both ENOENT (HWPT-5). */
    private void iommufdGetFault(int vm, int fault) {
        if (fault == 0) return;
        Obj q = objects.get(new Key(vm, fault));
        if (q == null || q.kind != ObjectKind.FAULT_QUEUE) throw new Refused(Errno.ENOENT);
    }

    /**
     * iommufd: pt_id is looked up as any kind and switched on (HWPT-1, HWPT-3, then HWPT-5 after the
     * ID); a paging HWPT or a vIOMMU sends it down the nested path, which wants driver data (VIOMMU-3).
     */
    private Result iommufdHwptPagingAlloc(AllocHwptPaging o) {
        Obj pt = objects.get(new Key(o.vm(), o.ioas()));
        if (pt == null) throw new Refused(Errno.EINVAL);
        if (pt.kind == ObjectKind.HWPT_PAGING || pt.kind == ObjectKind.VIOMMU) throw new Refused(Errno.EOPNOTSUPP);
        if (pt.kind != ObjectKind.IOAS) throw new Refused(Errno.EINVAL);
        if (o.nestParent() && o.fault() != 0) throw new Refused(Errno.EOPNOTSUPP);
        return allocate(o.vm(), paging(o, pt), () -> iommufdGetFault(o.vm(), o.fault()));
    }

    /**
     * iommufd: the parent is looked up as any kind and switched on (HWPT-4, then HWPT-5 after the ID).
     * A vIOMMU as the parent takes the HWPT: stage 2 is the vIOMMU's HWPT, and the reference is held
     * on the vIOMMU (VIOMMU-3).
     */
    private Result iommufdHwptNestedAlloc(AllocHwptNested o) {
        Obj pt = objects.get(new Key(o.vm(), o.parent()));
        if (pt == null) throw new Refused(Errno.EINVAL);
        if (pt.kind == ObjectKind.IOAS) throw new Refused(Errno.EOPNOTSUPP);
        if (pt.kind == ObjectKind.VIOMMU) {
            Obj hwpt = nested(o);
            hwpt.parent = pt.hwpt;
            hwpt.viommu = o.parent();
            return allocate(o.vm(), hwpt, () -> iommufdGetFault(o.vm(), o.fault()));
        }
        if (pt.kind != ObjectKind.HWPT_PAGING || !pt.nestParent) throw new Refused(Errno.EINVAL);
        return allocate(o.vm(), nested(o), () -> iommufdGetFault(o.vm(), o.fault()));
    }

    private Obj paging(AllocHwptPaging o, Obj ioas) {
        Obj hwpt = new Obj(ObjectKind.HWPT_PAGING);
        hwpt.ioas = o.ioas();
        hwpt.nestParent = o.nestParent();
        hwpt.allocPasid = o.allocPasid();
        hwpt.fault = o.fault();
        hwpt.dirtyCapable = o.dirtyTracking();                      // DIRTY-1: off, nothing dirty
        hwpt.pages = pagesOf(ioas.areas);
        return hwpt;
    }

    private static Obj nested(AllocHwptNested o) {
        Obj hwpt = new Obj(ObjectKind.HWPT_NESTED);
        hwpt.parent = o.parent();
        hwpt.allocPasid = o.allocPasid();
        hwpt.fault = o.fault();
        return hwpt;
    }

    private Result allocHwptPaging(AllocHwptPaging o) {
        if (iommufd) return iommufdHwptPagingAlloc(o);
        if (o.dirtyTracking()) throw new Refused(Errno.EOPNOTSUPP);   // the 2021 proposal tracks nothing
        Obj ioas = obj(o.vm(), o.ioas());
        if (ioas.kind != ObjectKind.IOAS) throw new Refused(Errno.EINVAL);
        checkFault(o.vm(), o.fault());
        if (o.nestParent() && o.fault() != 0) throw new Refused(Errno.EOPNOTSUPP);
        return allocate(o.vm(), paging(o, ioas));
    }

    private Result allocHwptNested(AllocHwptNested o) {
        if (iommufd) return iommufdHwptNestedAlloc(o);
        Obj parent = obj(o.vm(), o.parent());
        if (parent.kind != ObjectKind.HWPT_PAGING || !parent.nestParent) throw new Refused(Errno.EINVAL);
        checkFault(o.vm(), o.fault());
        return allocate(o.vm(), nested(o));
    }

    private Result destroy(Destroy o) {
        Obj x = obj(o.vm(), o.id());
        if (x.users > 0) throw new Refused(Errno.EBUSY);
        if (x.kind == ObjectKind.FAULT_QUEUE) {
            answerInvalid(x, g -> true);
        }
        objects.remove(new Key(o.vm(), o.id()));
        x.references().forEach(ref -> objects.get(new Key(o.vm(), ref)).users--);
        return Result.done();
    }

    // ---- IOAS mappings -------------------------------------------------------------------------

    /** The IOAS: ENOENT if absent (OBJ-1); another kind is EINVAL (IOAS-8), under iommufd ENOENT (a typed lookup). */
    private Obj ioas(int vm, int id) {
        Obj o = obj(vm, id);
        if (o.kind != ObjectKind.IOAS) throw new Refused(iommufd ? Errno.ENOENT : Errno.EINVAL);
        return o;
    }

    private Result map(MapArea o) {
        if (iommufd && o.access() == Access.NONE) throw new Refused(Errno.EINVAL);   // IOAS-1, before the lookup
        Obj ioas = ioas(o.vm(), o.ioas());
        if (o.pages() < 1 || o.access() == Access.NONE || o.iova() < 0 || (long) o.iova() + o.pages() > bounds.iovaPages()
                || o.host() < 0 || (long) o.host() + o.pages() > bounds.hostPages()) throw new Refused(Errno.EINVAL);
        if (reserved(o.vm(), o.ioas(), o.iova(), o.pages())) throw new Refused(Errno.EINVAL);      // RESV-3
        if (ioas.areas.values().stream().anyMatch(a -> a.overlaps(o.iova(), o.pages()))) throw new Refused(Errno.EEXIST);
        ioas.addArea(new Area(o.iova(), o.pages(), o.host(), o.access()), o.access().permits(Access.WRITE));
        remirror(o.vm(), o.ioas());
        return Result.done();
    }

    /**
     * iommufd only (IOAS-11, IOMMU_IOAS_MAP without FIXED_IOVA): the access, the IOAS, the pages, then
     * the lowest IOVA the kernel's iopt_alloc_iova would find, mapped as {@link #map} maps.
     */
    private Result mapAuto(MapAreaAuto o) {
        if (o.access() == Access.NONE) throw new Refused(Errno.EINVAL);
        Obj ioas = ioas(o.vm(), o.ioas());
        if (o.pages() < 1 || o.host() < 0 || (long) o.host() + o.pages() > bounds.hostPages()) throw new Refused(Errno.EINVAL);
        int iova = chooseIova(o.vm(), o.ioas(), o.pages(), o.host());
        if (iova < 0) throw new Refused(Errno.ENOSPC);
        ioas.addArea(new Area(iova, o.pages(), o.host(), o.access()), o.access().permits(Access.WRITE));
        remirror(o.vm(), o.ioas());
        return new Result.Mapped(iova);
    }

    /**
     * The first fit: a multiple of the alignment (the page count rounded up to a power of two, no more
     * than the host page's lowest set bit, nor than a 512-page huge page), never 0, inside the bounds
     * and the allowed range if the IOAS has one, clear of every area and reserved range (RESV-3); -1
     * if there is none.
     */
    private int chooseIova(int vm, int ioasId, int pages, int host) {
        Obj ioas = objects.get(new Key(vm, ioasId));
        long align = 1;
        while (align < pages) align <<= 1;
        if (host != 0) align = Math.min(align, Integer.lowestOneBit(host));
        align = Math.min(align, 512);
        long low = align;
        long high = bounds.iovaPages();                                  // exclusive, for the area's end
        if (ioas.allowedPages > 0) {
            low = Math.max(low, (ioas.allowedIova + align - 1) / align * align);
            high = Math.min(high, (long) ioas.allowedIova + ioas.allowedPages);
        }
        for (long at = low; at + pages <= high; at += align) {
            int iova = (int) at;
            if (ioas.areas.values().stream().noneMatch(a -> a.overlaps(iova, pages)) && !reserved(vm, ioasId, iova, pages)) {
                return iova;
            }
        }
        return -1;
    }

    /**
     * iommufd only (IOAS-12, IOMMU_IOAS_ALLOW_IOVAS with one range or none): bounds only {@link #mapAuto};
     * a range that meets a reserved one is refused, clearing never is (RESV-4).
     */
    private Result allowIovas(AllowIovas o) {
        Obj ioas = ioas(o.vm(), o.ioas());
        if (o.pages() < 0 || o.iova() < 0) throw new Refused(Errno.EINVAL);
        if (o.pages() > 0 && reserved(o.vm(), o.ioas(), o.iova(), o.pages())) throw new Refused(Errno.EADDRINUSE);   // RESV-4
        ioas.allowedIova = o.pages() == 0 ? 0 : o.iova();
        ioas.allowedPages = o.pages();
        return Result.done();
    }

    /**
     * iommufd only (IOAS-10, IOMMU_IOAS_COPY with a fixed IOVA): the access, the source IOAS, the
     * source range, which must be mapped throughout (it may start or end inside an area and run over
     * adjacent ones), then the destination IOAS, its range, reserved ranges (RESV-3), overlap, and
     * whether the pages may be written. Each area the range meets gives a slice, mapped again as an area of its own at the
     * same offset from {@code iova}; the slices may land in the source IOAS itself.
     */
    private Result copy(CopyArea o) {
        if (o.access() == Access.NONE) throw new Refused(Errno.EINVAL);
        Obj src = ioas(o.vm(), o.src());
        if (o.pages() < 1 || o.srcIova() < 0) throw new Refused(Errno.EINVAL);
        List<Area> slices = new ArrayList<>();                           // at their source IOVAs
        List<Boolean> slicesWritable = new ArrayList<>();
        long end = (long) o.srcIova() + o.pages();
        for (long at = o.srcIova(); at < end; ) {
            Map.Entry<Integer, Area> floor = src.areas.floorEntry((int) at);   // at: srcIova or an area's end
            if (floor == null || floor.getValue().end() <= at) throw new Refused(Errno.ENOENT);   // a hole
            Area a = floor.getValue();
            long stop = Math.min(a.end(), end);
            slices.add(new Area((int) at, (int) (stop - at), a.host() + (int) (at - a.iova()), o.access()));
            slicesWritable.add(src.writable.get(a.iova()));
            at = stop;
        }
        Obj dst = ioas(o.vm(), o.ioas());
        if (o.iova() < 0 || (long) o.iova() + o.pages() > bounds.iovaPages()) throw new Refused(Errno.EINVAL);
        if (reserved(o.vm(), o.ioas(), o.iova(), o.pages())) throw new Refused(Errno.EINVAL);      // RESV-3
        if (dst.areas.values().stream().anyMatch(a -> a.overlaps(o.iova(), o.pages()))) throw new Refused(Errno.EEXIST);
        if (o.access().permits(Access.WRITE) && slicesWritable.contains(false)) throw new Refused(Errno.EPERM);
        for (int i = 0; i < slices.size(); i++) {
            Area s = slices.get(i);
            Area copied = new Area(o.iova() + (s.iova() - o.srcIova()), s.pages(), s.host(), o.access());
            dst.addArea(copied, slicesWritable.get(i));                 // the pinning comes with the pages
        }
        remirror(o.vm(), o.ioas());
        return Result.done();
    }

    private Result unmap(Unmap o) {
        Obj ioas = ioas(o.vm(), o.ioas());
        if (o.pages() < 1 || o.iova() < 0) throw new Refused(Errno.EINVAL);
        List<Area> hit = ioas.areas.values().stream().filter(a -> a.overlaps(o.iova(), o.pages())).toList();   // IOVA order
        if (hit.isEmpty()) throw new Refused(Errno.ENOENT);
        if (hit.stream().anyMatch(a -> !a.within(o.iova(), o.pages()))) {
            if (iommufd) {
                // iommufd (iopt_unmap_iova_range): the whole areas before the first cut one are removed.
                boolean removed = false;
                for (Area a : hit) {
                    if (!a.within(o.iova(), o.pages())) break;
                    ioas.removeArea(a.iova());
                    removed = true;
                }
                if (removed) remirror(o.vm(), o.ioas());
            }
            throw new Refused(Errno.ENOENT);
        }
        hit.forEach(a -> ioas.removeArea(a.iova()));
        remirror(o.vm(), o.ioas());
        return new Result.Unmapped(hit.stream().mapToInt(Area::pages).sum());
    }

    private Result unmapAll(UnmapAll o) {
        Obj ioas = ioas(o.vm(), o.ioas());
        int pages = ioas.areas.values().stream().mapToInt(Area::pages).sum();
        ioas.areas.clear();
        ioas.writable.clear();
        remirror(o.vm(), o.ioas());
        return new Result.Unmapped(pages);
    }

    /** Every paging HWPT built from the IOAS holds exactly its pages (HWPT-2). */
    private void remirror(int vm, int ioasId) {
        TreeMap<Integer, PageMapping> pages = pagesOf(objects.get(new Key(vm, ioasId)).areas);
        objects.forEach((key, x) -> {
            if (key.a() == vm && x.kind == ObjectKind.HWPT_PAGING && x.ioas == ioasId) {
                x.pages = new TreeMap<>(pages);
                x.dirty.retainAll(pages.keySet());                  // an unmapped page takes its bit along
            }
        });
    }

    private static TreeMap<Integer, PageMapping> pagesOf(TreeMap<Integer, Area> areas) {
        TreeMap<Integer, PageMapping> pages = new TreeMap<>();
        for (Area a : areas.values()) {
            for (int i = 0; i < a.pages(); i++) {
                pages.put(a.iova() + i, new PageMapping(a.iova() + i, a.host() + i, a.access()));
            }
        }
        return pages;
    }

    private Result queryPages(QueryPages o) {
        Obj x = obj(o.vm(), o.id());
        if (x.kind == ObjectKind.IOAS) return new Result.Pages(List.copyOf(pagesOf(x.areas).values()));
        if (x.kind == ObjectKind.HWPT_PAGING) return new Result.Pages(List.copyOf(x.pages.values()));
        throw new Refused(Errno.EINVAL);
    }

    private Result invalidate(Invalidate o) {
        Obj x = obj(o.vm(), o.hwpt());
        if (iommufd && x.kind == ObjectKind.HWPT_NESTED && o.pages() == 0 && o.iova() >= 0) {
            return Result.done();  // HWPT-6: an empty request array succeeds
        }
        if (x.kind != ObjectKind.HWPT_NESTED || o.pages() < 1 || o.iova() < 0) throw new Refused(Errno.EINVAL);
        return Result.done();      // nothing is cached, so there is nothing to flush
    }

    // ---- dirty tracking (iommufd) --------------------------------------------------------------

    /** DIRTY-3: a paging HWPT of the VM (a typed lookup: ENOENT otherwise) allocated with DIRTY_TRACKING (EOPNOTSUPP). */
    private Obj dirtyHwpt(int vm, int id) {
        Obj x = objects.get(new Key(vm, id));
        if (x == null || x.kind != ObjectKind.HWPT_PAGING) throw new Refused(Errno.ENOENT);
        if (!x.dirtyCapable) throw new Refused(Errno.EOPNOTSUPP);
        return x;
    }

    private Result setDirtyTracking(SetDirtyTracking o) {
        Obj x = dirtyHwpt(o.vm(), o.hwpt());
        if (o.enable()) {
            x.dirty.clear();                                        // a fresh start
        }
        x.tracking = o.enable();                                    // disabling keeps the bits
        return Result.done();
    }

    /** DIRTY-4: the dirty pages of the range's mapped prefix, cleared unless NO_CLEAR; nothing while off. */
    private Result getDirtyBitmap(GetDirtyBitmap o) {
        Obj x = dirtyHwpt(o.vm(), o.hwpt());
        if (o.pages() < 1 || o.iova() < 0) throw new Refused(Errno.EINVAL);
        List<Integer> found = new ArrayList<>();
        if (!x.tracking) return new Result.DirtyPages(found);
        long end = (long) o.iova() + o.pages();
        for (int at = o.iova(); at < end && x.pages.containsKey(at); at++) {
            if (x.dirty.contains(at)) found.add(at);
        }
        if (!o.noClear()) found.forEach(x.dirty::remove);
        return new Result.DirtyPages(found);
    }

    /** DIRTY-5: a write that translated marks the last-stage page if that table is tracking. */
    private void markDirty(int vm, Obj table, int iova) {
        Obj last = table;
        int page = iova;
        if (table.kind == ObjectKind.HWPT_NESTED) {
            last = objects.get(new Key(vm, table.parent));
            page = table.stage1.get(iova)[0];
        }
        if (last.kind == ObjectKind.HWPT_PAGING && last.dirtyCapable && last.tracking) {
            last.dirty.add(page);
        }
    }

    /** DIRTY-2, after every other attach check: a tracking-capable table only on a device that can track. */
    private void checkDirtyDevice(int deviceId, int tableId) {
        if (!iommufd) return;
        DeviceSpec spec = device(deviceId);
        Obj t = objects.get(new Key(spec.vm(), tableId));
        if (t.kind == ObjectKind.HWPT_NESTED) t = objects.get(new Key(spec.vm(), t.parent));
        if (t.kind == ObjectKind.HWPT_PAGING && t.dirtyCapable && !spec.dirtyTrackingCapable()) {
            throw new Refused(Errno.EINVAL);
        }
    }

    // ---- vIOMMUs and vDEVICEs (iommufd) --------------------------------------------------------

    /** The first vDEVICE of the VM that passes {@code test}, or null. */
    private Obj vdevice(int vm, Predicate<Obj> test) {
        for (var e : objects.entrySet()) {
            Obj x = e.getValue();
            if (e.getKey().a() == vm && x.kind == ObjectKind.VDEVICE && test.test(x)) {
                return x;
            }
        }
        return null;
    }

    /** VIOMMU-1: the driver's support, then the HWPT (a typed lookup), then NEST_PARENT, then an ID. */
    private Result allocViommu(AllocViommu o) {
        DeviceSpec spec = device(o.device());
        if (!spec.viommuCapable()) throw new Refused(Errno.EOPNOTSUPP);
        Obj hwpt = objects.get(new Key(spec.vm(), o.hwpt()));
        if (hwpt == null || hwpt.kind != ObjectKind.HWPT_PAGING) throw new Refused(Errno.ENOENT);
        if (!hwpt.nestParent) throw new Refused(Errno.EINVAL);
        Obj viommu = new Obj(ObjectKind.VIOMMU);
        viommu.hwpt = o.hwpt();
        return allocate(spec.vm(), viommu);
    }

    /**
     * VIOMMU-2: the virtual ID, the vIOMMU (a typed lookup), the device's IOMMU (all vIOMMU-capable
     * devices share one), the device's one vDEVICE (Linux 6.17), an ID, and only then the virtual ID's
     * slot in the vIOMMU, so a taken one gives the reserved ID back.
     */
    private Result allocVdevice(AllocVdevice o) {
        DeviceSpec spec = device(o.device());
        int vm = spec.vm();
        if (o.virtId() < 0) throw new Refused(Errno.EINVAL);
        Obj viommu = objects.get(new Key(vm, o.viommu()));
        if (viommu == null || viommu.kind != ObjectKind.VIOMMU) throw new Refused(Errno.ENOENT);
        if (!spec.viommuCapable()) throw new Refused(Errno.EINVAL);
        if (vdevice(vm, v -> v.device == o.device()) != null) throw new Refused(Errno.EEXIST);
        Obj vdev = new Obj(ObjectKind.VDEVICE);
        vdev.viommu = o.viommu();
        vdev.device = o.device();
        vdev.virtId = o.virtId();
        return allocate(vm, vdev, () -> {
            if (vdevice(vm, v -> v.viommu == o.viommu() && v.virtId == o.virtId()) != null) throw new Refused(Errno.EEXIST);
        });
    }

    /**
     * VIOMMU-4, in the order written. An unknown virtual ID is EINVAL (the selftest's mock driver;
     * arm-smmu-v3 would say EIO). The entry would drop the device's cached stage-1 translations of the
     * range, but every DMA here walks the current stage-1 entry, so there is nothing to flush.
     */
    private Result invalidateViommu(InvalidateViommu o) {
        obj(o.vm(), o.viommu(), ObjectKind.VIOMMU);
        if (o.pages() == 0 && o.iova() >= 0) return Result.done();     // no entry
        if (o.pages() < 1 || o.iova() < 0) throw new Refused(Errno.EINVAL);
        if (vdevice(o.vm(), v -> v.viommu == o.viommu() && v.virtId == o.virtId()) == null) throw new Refused(Errno.EINVAL);
        return Result.done();
    }

    // ---- attachments ---------------------------------------------------------------------------

    private DeviceSpec device(int id) {
        return bounds.device(id).orElseThrow();
    }

    /**
     * The checks before the point is looked at. 2021: the table, then the PASID (ATT-3..5). iommufd:
     * a driver without a PASID attach op first, then the table only; the PASID checks come after the
     * point's ({@code iommufdLateChecks}).
     */
    private void checkTarget(int deviceId, int pasid, int tableId) {
        DeviceSpec spec = device(deviceId);
        boolean onPasid = pasid != 0;
        if (iommufd && onPasid && spec.driver() == DriverKind.MDEV) throw new Refused(Errno.EOPNOTSUPP);   // ATT-3
        Obj t = obj(spec.vm(), tableId);
        if (t.kind == ObjectKind.FAULT_QUEUE || t.kind == ObjectKind.VIOMMU || t.kind == ObjectKind.VDEVICE
                || (t.kind == ObjectKind.IOAS && onPasid)) throw new Refused(Errno.EINVAL);      // ATT-2
        if (t.kind == ObjectKind.SVA && !onPasid) throw new Refused(Errno.EINVAL);
        if (!onPasid || iommufd) return;
        if (!spec.pasidCapable()) throw new Refused(Errno.EOPNOTSUPP);
        if (pasid < 1 || !spec.canIssue(pasid)) throw new Refused(Errno.EINVAL);
        if (!pasidCompatible(t)) throw new Refused(Errno.EINVAL);
        int[] entry = pasids.get(pasid);
        if (entry == null) throw new Refused(Errno.ENOENT);
        if (entry[0] != spec.vm()) throw new Refused(Errno.EACCES);
    }

    private Result attach(Attach o) {
        checkTarget(o.device(), o.pasid(), o.table());
        boolean holdsPasid = o.pasid() != 0 && !iommufd;           // iommufd: attachments hold no PASID
        if (holdsPasid && pasids.get(o.pasid())[1] == 1) throw new Refused(Errno.EBUSY);
        Key point = new Key(o.device(), o.pasid());
        if (attached.containsKey(point)) throw new Refused(Errno.EBUSY);
        if (iommufd && o.pasid() == 0) checkReservable(o.device(), ioasBehind(device(o.device()).vm(), o.table()));   // RESV-2
        iommufdLateChecks(o.device(), o.pasid(), o.table());
        checkDirtyDevice(o.device(), o.table());
        if (iommufd) {
            int vm = device(o.device()).vm();
            int pt = autoGet(vm, o.table());                        // ATT-13
            attached.put(point, pt);
            objects.get(new Key(vm, pt)).users++;
            return new Result.Allocated(pt);
        }
        attached.put(point, o.table());
        obj(device(o.device()).vm(), o.table()).users++;
        if (holdsPasid) pasidRefs(o.pasid(), 1);
        return Result.done();
    }

    private Result replace(Replace o) {
        checkTarget(o.device(), o.pasid(), o.table());
        Key point = new Key(o.device(), o.pasid());
        Integer old = attached.get(point);
        if (old == null) throw new Refused(Errno.EINVAL);
        int vm = device(o.device()).vm();
        if (iommufd) {
            // iommufd: an IOAS stands for its automatic HWPT, if it has one (ATT-13).
            int target = objects.get(new Key(vm, o.table())).kind == ObjectKind.IOAS ? autoOf(vm, o.table()) : o.table();
            if (old == target) return new Result.Allocated(target);                   // ATT-8
            int behind = ioasBehind(vm, o.table());
            if (o.pasid() == 0 && behind != ioasBehind(vm, old)) checkReservable(o.device(), behind);   // RESV-2
            iommufdLateChecks(o.device(), o.pasid(), o.table());
            checkDirtyDevice(o.device(), o.table());
            int pt = autoGet(vm, o.table());                        // ATT-13: found or created first
            abandonPoint(o.device(), o.pasid(), old);               // FLT-5
            attached.put(point, pt);
            objects.get(new Key(vm, pt)).users++;
            putPt(vm, old);
            return new Result.Allocated(pt);
        }
        if (old == o.table()) return Result.done();
        abandonPoint(o.device(), o.pasid(), old);
        attached.put(point, o.table());
        obj(vm, old).users--;
        obj(vm, o.table()).users++;
        return Result.done();
    }

    private Result detach(Detach o) {
        Key point = new Key(o.device(), o.pasid());
        Integer old = attached.get(point);
        if (old == null) return Result.done();
        abandonPoint(o.device(), o.pasid(), old);
        attached.remove(point);
        if (iommufd) {
            putPt(device(o.device()).vm(), old);                    // ATT-13: an automatic HWPT may go
        } else {
            obj(device(o.device()).vm(), old).users--;
        }
        if (o.pasid() != 0 && !iommufd) pasidRefs(o.pasid(), -1);
        return Result.done();
    }

    /** The IOAS behind a table (RESV-1): an IOAS itself, a paging HWPT's, a nested HWPT's parent's; 0 for none. */
    private int ioasBehind(int vm, int tableId) {
        Obj t = objects.get(new Key(vm, tableId));
        if (t.kind == ObjectKind.IOAS) return tableId;
        if (t.kind == ObjectKind.HWPT_NESTED) t = objects.get(new Key(vm, t.parent));   // on a vIOMMU: its HWPT
        return t.kind == ObjectKind.HWPT_PAGING ? t.ioas : 0;
    }

    /**
     * iommufd: whether pages [from, from + count) of the IOAS meet a range reserved in it, that is a
     * reserved range of a device whose RID is attached to a table behind it (RESV-1; PASIDs reserve nothing).
     */
    private boolean reserved(int vm, int ioasId, long from, long count) {
        if (!iommufd) return false;
        for (var e : attached.entrySet()) {
            if (e.getKey().b() != 0) continue;
            DeviceSpec spec = device(e.getKey().a());
            if (spec.vm() == vm && ioasBehind(vm, e.getValue()) == ioasId && spec.reserves(from, count)) return true;
        }
        return false;
    }

    /** RESV-2: the device's ranges may be reserved in the IOAS only clear of its areas and its allowed range. */
    private void checkReservable(int deviceId, int ioasId) {
        DeviceSpec spec = device(deviceId);
        Obj ioas = objects.get(new Key(spec.vm(), ioasId));
        for (ReservedRange r : spec.reserved()) {
            if (ioas.areas.values().stream().anyMatch(a -> r.meets(a.iova(), a.pages()))
                    || (ioas.allowedPages > 0 && r.meets(ioas.allowedIova, ioas.allowedPages))) {
                throw new Refused(Errno.EADDRINUSE);
            }
        }
    }

    /** iommufd: the IOAS's automatic paging HWPT, or 0 if it has none (ATT-13). */
    private int autoOf(int vm, int ioasId) {
        for (var e : objects.entrySet()) {
            Obj x = e.getValue();
            if (e.getKey().a() == vm && x.kind == ObjectKind.HWPT_PAGING && x.auto && x.ioas == ioasId) {
                return e.getKey().b();
            }
        }
        return 0;
    }

    /**
     * iommufd (iommufd_device_auto_get_domain): the HWPT to attach for {@code tableId}. A table other
     * than an IOAS is itself; an IOAS gives its automatic HWPT, created with the lowest free ID if it
     * has none yet (not NEST_PARENT, not ALLOC_PASID, no fault queue, holding a reference on the
     * IOAS; ENOSPC if no ID is free). The caller adds the attachment's user.
     */
    private int autoGet(int vm, int tableId) {
        Obj t = objects.get(new Key(vm, tableId));
        if (t.kind != ObjectKind.IOAS) return tableId;
        int existing = autoOf(vm, tableId);
        if (existing != 0) return existing;
        Obj hwpt = new Obj(ObjectKind.HWPT_PAGING);
        hwpt.ioas = tableId;
        hwpt.auto = true;
        hwpt.pages = pagesOf(t.areas);
        return ((Result.Allocated) allocate(vm, hwpt)).id();
    }

    /** iommufd: the point lets go of the HWPT; an automatic one left unattached goes away with its IOAS reference (ATT-13). */
    private void putPt(int vm, int pt) {
        Obj x = objects.get(new Key(vm, pt));
        x.users--;
        if (x.auto && x.users == 0) {
            objects.remove(new Key(vm, pt));
            x.references().forEach(ref -> objects.get(new Key(vm, ref)).users--);
        }
    }

    /**
     * iommufd only, after the point's own checks: a PASID takes only a PASID-compatible table (ATT-4);
     * while a device has PASID attachments its RID takes only such a table, and while its RID holds a
     * table that is not, no PASID attaches (ATT-12); then the PASID must be one the device can issue
     * (ATT-3). No sets: any such PASID will do.
     */
    private void iommufdLateChecks(int deviceId, int pasid, int tableId) {
        if (!iommufd) return;
        DeviceSpec spec = device(deviceId);
        Obj t = objects.get(new Key(spec.vm(), tableId));
        if (pasid == 0) {
            boolean pasidsAttached = attached.keySet().stream().anyMatch(k -> k.a() == deviceId && k.b() != 0);
            if (pasidsAttached && !pasidCompatible(t)) throw new Refused(Errno.EINVAL);
            return;
        }
        if (!pasidCompatible(t)) throw new Refused(Errno.EINVAL);
        Integer rid = attached.get(new Key(deviceId, 0));
        if (rid != null && !pasidCompatible(objects.get(new Key(spec.vm(), rid)))) throw new Refused(Errno.EINVAL);
        if (pasid < 1 || !spec.canIssue(pasid)) throw new Refused(Errno.EINVAL);
    }

    /** Tables that may sit on a PASID: allocated with ALLOC_PASID, or an SVA domain (ATT-4, SVA-1). */
    private static boolean pasidCompatible(Obj t) {
        return t.kind == ObjectKind.SVA || t.allocPasid;
    }

    // ---- translation ---------------------------------------------------------------------------

    private boolean badAccess(int deviceId, int pasid, int iova, Access access) {
        boolean badPasid = pasid != 0 && (pasid < 1 || !device(deviceId).canIssue(pasid));
        return badPasid || iova < 0 || iova >= bounds.iovaPages() || access == Access.NONE;
    }

    /**
     * The attach point whose table handles (device, PASID): the point itself; or, for a device whose
     * IOMMU driver lets the guest own the PASID table, a PASID with nothing attached of its own goes
     * through a nested HWPT attached to the RID (PRQ-8; io-pgfault.c, find_fault_handler).
     */
    private int handlingPasid(int deviceId, int pasid) {
        if (pasid == 0 || attached.containsKey(new Key(deviceId, pasid)) || !device(deviceId).guestPasidTable()) {
            return pasid;
        }
        Integer rid = attached.get(new Key(deviceId, 0));
        if (rid != null && objects.get(new Key(device(deviceId).vm(), rid)).kind == ObjectKind.HWPT_NESTED) {
            return 0;
        }
        return pasid;
    }

    /** The table DMA and page requests at (device, PASID) go through: its own, or the RID's (PRQ-8). */
    private Obj tableOf(int deviceId, int pasid) {
        Integer id = attached.get(new Key(deviceId, handlingPasid(deviceId, pasid)));
        return id == null ? null : objects.get(new Key(device(deviceId).vm(), id));
    }

    /** What a DMA sees: a translation, or the level that faulted. */
    private Result walk(int deviceId, Obj table, int iova, Access access) {
        int vm = device(deviceId).vm();
        if (table == null) return new Result.Faulted(FaultLevel.BLOCKED);
        if (table.kind == ObjectKind.HWPT_NESTED) {
            int[] entry = table.stage1.get(iova);
            if (entry == null || !Access.values()[entry[1]].permits(access)) return new Result.Faulted(FaultLevel.STAGE1);
            PageMapping page = objects.get(new Key(vm, table.parent)).pages.get(entry[0]);
            return page != null && page.access().permits(access) ? new Result.Translated(page.host())
                    : new Result.Faulted(FaultLevel.STAGE2);
        }
        if (table.kind == ObjectKind.SVA) {
            Area page = mm.get(new Key(table.mm, iova));
            return page != null && page.access().permits(access) ? new Result.Translated(page.host())
                    : new Result.Faulted(FaultLevel.SVA);
        }
        PageMapping page = (table.kind == ObjectKind.HWPT_PAGING ? table.pages : pagesOf(table.areas)).get(iova);
        return page != null && page.access().permits(access) ? new Result.Translated(page.host())
                : new Result.Faulted(FaultLevel.PAGING);
    }

    private Result dma(Dma o) {
        if (badAccess(o.device(), o.pasid(), o.iova(), o.access())) throw new Refused(Errno.EINVAL);
        Obj table = tableOf(o.device(), o.pasid());
        Result seen = walk(o.device(), table, o.iova(), o.access());
        if (seen instanceof Result.Translated && o.access().permits(Access.WRITE)) {
            markDirty(device(o.device()).vm(), table, o.iova());
        }
        return seen;
    }

    private Result writeStage1(WriteStage1 o) {
        Obj x = obj(o.vm(), o.hwpt());
        if (x.kind != ObjectKind.HWPT_NESTED || o.iova() < 0 || o.iova() >= bounds.iovaPages() || o.gpa() < 0
                || o.gpa() >= bounds.iovaPages()) throw new Refused(Errno.EINVAL);
        if (o.access() == Access.NONE) {
            x.stage1.remove(o.iova());
        } else {
            x.stage1.put(o.iova(), new int[] {o.gpa(), o.access().ordinal()});
        }
        return Result.done();
    }

    private Result mmMap(MmMap o) {
        if (o.page() < 0 || o.page() >= bounds.mmPages() || o.host() < 0 || o.host() >= bounds.hostPages()
                || o.access() == Access.NONE) throw new Refused(Errno.EINVAL);
        if (mm.putIfAbsent(new Key(o.mm(), o.page()), new Area(o.page(), 1, o.host(), o.access())) != null) {
            throw new Refused(Errno.EEXIST);
        }
        return Result.done();
    }

    private Result mmUnmap(MmUnmap o) {
        if (o.page() < 0 || o.page() >= bounds.mmPages()) throw new Refused(Errno.EINVAL);
        if (mm.remove(new Key(o.mm(), o.page())) == null) throw new Refused(Errno.ENOENT);
        return Result.done();
    }

    // ---- page requests, fault queues, responses ------------------------------------------------

    private Result pageRequest(PageRequest o) {
        DeviceSpec spec = device(o.device());
        if (badAccess(o.device(), o.pasid(), o.iova(), o.access()) || o.group() < 0 || o.group() >= bounds.groups()) {
            throw new Refused(Errno.EINVAL);
        }
        Predicate<Group> same = g -> g.device() == o.device() && g.pasid() == o.pasid() && g.group() == o.group();
        for (var e : objects.entrySet()) {
            Obj q = e.getValue();
            if (e.getKey().a() == spec.vm() && q.kind == ObjectKind.FAULT_QUEUE
                    && (q.delivered.stream().anyMatch(same) || q.awaiting.values().stream().anyMatch(same))) {
                throw new Refused(Errno.EBUSY);
            }
        }
        List<Integer> key = List.of(o.device(), o.pasid(), o.group());
        List<RequestedPage> requests = new ArrayList<>(partial.getOrDefault(key, List.of()));
        requests.add(new RequestedPage(o.iova(), o.access()));
        if (!o.last() && iommufd && !hasHandler(spec, tableOf(o.device(), o.pasid()))) {
            // iommufd (iommu_report_device_fault): a request nobody would take is answered at once.
            serial++;
            respondTo(o.device(), o.pasid(), o.group(), ResponseCode.INVALID);
            return Result.done();
        }
        if (!o.last()) {
            partial.put(key, requests);
            return Result.done();
        }
        partial.remove(key);
        serial++;
        int queue = ownerQueue(spec, tableOf(o.device(), o.pasid()), requests);
        if (queue > 0) {
            objects.get(new Key(spec.vm(), queue)).delivered.add(new Group(serial, o.device(), o.pasid(), o.group(),
                    List.copyOf(requests), handlingPasid(o.device(), o.pasid())));
        } else {
            respondTo(o.device(), o.pasid(), o.group(), queue == 0 ? ResponseCode.INVALID : ResponseCode.SUCCESS);
        }
        return Result.done();
    }

    /** Whether anything takes a request at the point: PRI, a table, and the SVA handler or a fault queue of the table. */
    private static boolean hasHandler(DeviceSpec spec, Obj table) {
        if (!spec.pri() || table == null) return false;
        return table.kind == ObjectKind.SVA
                || ((table.kind == ObjectKind.HWPT_PAGING || table.kind == ObjectKind.HWPT_NESTED) && table.fault != 0);
    }

    /** The page table's owner for the level that faulted: a queue ID, or 0 (answer INVALID now) or -1 (SUCCESS now). */
    private int ownerQueue(DeviceSpec spec, Obj table, List<RequestedPage> requests) {
        if (!spec.pri() || table == null) return 0;
        if (table.kind == ObjectKind.SVA) {
            boolean mapped = requests.stream().allMatch(r -> {
                Area page = mm.get(new Key(table.mm, r.iova()));
                return page != null && page.access().permits(r.access());
            });
            return mapped ? -1 : 0;
        }
        if (table.kind == ObjectKind.HWPT_NESTED && requests.stream().anyMatch(r ->
                walk(spec.id(), table, r.iova(), r.access()) instanceof Result.Faulted f && f.level() == FaultLevel.STAGE2)) {
            return 0;              // stage 2 belongs to the kernel
        }
        return table.kind == ObjectKind.HWPT_PAGING || table.kind == ObjectKind.HWPT_NESTED ? table.fault : 0;
    }

    private void respondTo(int deviceId, int pasid, int group, ResponseCode code) {
        responses.computeIfAbsent(deviceId, d -> new ArrayList<>()).add(new DeviceResponse(pasid, group, code));
    }

    /**
     * FLT-5/FLT-6. 2021: in the order the groups completed. iommufd (iommufd_auto_response_faults):
     * the groups not yet read in arrival order, then those awaiting a response by cookie.
     */
    private void answerInvalid(Obj queue, Predicate<Group> which) {
        List<Group> held = new ArrayList<>(queue.delivered);
        if (iommufd) {
            held.addAll(new TreeMap<>(queue.awaiting).values());      // by cookie
        } else {
            held.addAll(queue.awaiting.values());
        }
        held.removeIf(which.negate());
        if (!iommufd) {
            held.sort(Comparator.comparingLong(Group::serial));
        }
        queue.delivered.removeIf(which);
        queue.awaiting.values().removeIf(which);
        held.forEach(g -> respondTo(g.device(), g.pasid(), g.group(), ResponseCode.INVALID));
    }

    /**
     * Detach, or a replace that changes the table: held requests go, pending groups are answered (FLT-5).
     * Called before the attachment changes, so the held requests dropped are those of the point and of
     * the PASIDs that go through it (PRQ-8), and the groups answered those whose via is the point.
     */
    private void abandonPoint(int deviceId, int pasid, int oldTable) {
        partial.keySet().removeIf(k -> k.get(0) == deviceId && handlingPasid(deviceId, k.get(1)) == pasid);
        int vm = device(deviceId).vm();
        Obj old = objects.get(new Key(vm, oldTable));
        int queue = old.kind == ObjectKind.HWPT_PAGING || old.kind == ObjectKind.HWPT_NESTED ? old.fault : 0;
        if (queue != 0) {
            answerInvalid(objects.get(new Key(vm, queue)), g -> g.device() == deviceId && g.via() == pasid);
        }
    }

    private Obj faultQueue(int vm, int id) {
        return obj(vm, id, ObjectKind.FAULT_QUEUE);
    }

    private Result readFaults(ReadFaults o) {
        Obj q = faultQueue(o.vm(), o.queue());
        List<FaultGroup> read = new ArrayList<>();
        for (Group g : q.delivered) {
            int cookie;
            if (iommufd) {
                // iommufd: xa_alloc on an ALLOC1 xarray, the lowest cookie >= 1 not awaiting a response.
                cookie = 1;
                while (q.awaiting.containsKey(cookie)) cookie++;
            } else {
                cookie = q.nextCookie++;                            // FLT-1: never reused
            }
            q.awaiting.put(cookie, g);
            read.add(new FaultGroup(g.device(), g.pasid(), g.group(), g.requests(), cookie));
        }
        q.delivered = new ArrayList<>();
        return new Result.FaultGroups(read);
    }

    private Result respond(Respond o) {
        Obj q = faultQueue(o.vm(), o.queue());
        Group g = q.awaiting.get(o.cookie());
        if (o.code() == ResponseCode.FAILURE || g == null) throw new Refused(Errno.EINVAL);
        q.awaiting.remove(o.cookie());
        respondTo(g.device(), g.pasid(), g.group(), o.code());
        return Result.done();
    }
}
