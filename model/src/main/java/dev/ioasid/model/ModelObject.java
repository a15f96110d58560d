package dev.ioasid.model;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Area;
import dev.ioasid.contract.FaultLevel;
import dev.ioasid.contract.ObjectKind;
import dev.ioasid.contract.PageMapping;
import dev.ioasid.contract.RequestedPage;
import io.vavr.collection.HashMap;
import io.vavr.collection.HashSet;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import io.vavr.collection.Set;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;

/**
 * An object of a VM's namespace, as the contract sees it. {@code users} counts the references held
 * on it (HWPTs naming it, attachments to it); invariants check it against the references that exist.
 */
public sealed interface ModelObject {

    int users();

    ModelObject withUsers(int users);

    ObjectKind kind();

    /** The object IDs this object holds a reference on, in this VM (HWPT-8). */
    default List<Integer> references() {
        return List.empty();
    }

    /** The fault queue page requests at this table go to (an HWPT's), 0 if none. */
    default int faultQueue() {
        return 0;
    }

    /**
     * An I/O address space: areas by first IOVA page. {@code writableBehind} names the areas mapped
     * without WRITE whose pages were pinned writable (a read-only copy of a writable mapping, IOAS-10):
     * every other area's pages are writable exactly when its access allows WRITE, so the set is
     * empty unless areas were copied.
     */
    record Ioas(int users, SortedMap<Integer, Area> areas, Set<Integer> writableBehind, IovaRange allowed)
            implements ModelObject {
        public Ioas(int users, SortedMap<Integer, Area> areas) {
            this(users, areas, HashSet.empty(), IovaRange.ANY);
        }

        public static Ioas empty() {
            return new Ioas(0, TreeMap.empty());
        }

        @Override public Ioas withUsers(int users) { return new Ioas(users, areas, writableBehind, allowed); }

        @Override public ObjectKind kind() { return ObjectKind.IOAS; }

        /** The same IOAS with these areas; what it knew of areas no longer there is forgotten. */
        public Ioas withAreas(SortedMap<Integer, Area> areas) {
            return new Ioas(users, areas, writableBehind.isEmpty() ? writableBehind
                    : writableBehind.filter(areas::containsKey), allowed);
        }

        public Ioas withWritableBehind(Set<Integer> writableBehind) {
            return new Ioas(users, areas, writableBehind, allowed);
        }

        public Ioas withAllowed(IovaRange allowed) {
            return new Ioas(users, areas, writableBehind, allowed);
        }

        /** Whether the pages behind the area were pinned writable (iopt_pages.writable). */
        public boolean pagesWritable(Area area) {
            return area.access().permits(dev.ioasid.contract.Access.WRITE) || writableBehind.contains(area.iova());
        }

        /** The areas in IOVA order (a list: a sorted map's values() is a lazy stream, costly on every step). */
        public List<Area> areaList() {
            return List.ofAll(areas.valuesIterator());
        }
    }

    /**
     * The IOVAs an IOAS lets the kernel choose from (IOMMU_IOAS_ALLOW_IOVAS, IOAS-12): {@link #ANY}
     * when none was given, else {@code [iova, iova + pages)}.
     */
    record IovaRange(int iova, int pages) {
        public static final IovaRange ANY = new IovaRange(0, 0);

        public boolean any() {
            return pages == 0;
        }

        /** Whether {@code [from, from + count)} lies within the range (always, for {@link #ANY}). */
        public boolean holds(int from, int count) {
            return any() || (from >= iova && (long) from + count <= (long) iova + pages);
        }
    }

    /**
     * A kernel-managed page table. {@code pages} is the table's own content, kept apart from the
     * IOAS's areas so that the mirror invariant (HWPT-2) states something.
     */
    record HwptPaging(int users, int ioas, boolean nestParent, boolean allocPasid, int fault,
                      SortedMap<Integer, PageMapping> pages, boolean auto, Dirty dirty) implements ModelObject {
        /** A paging HWPT user space allocated (not an automatic domain), without dirty tracking. */
        public HwptPaging(int users, int ioas, boolean nestParent, boolean allocPasid, int fault,
                          SortedMap<Integer, PageMapping> pages) {
            this(users, ioas, nestParent, allocPasid, fault, pages, false, Dirty.NONE);
        }

        public HwptPaging(int users, int ioas, boolean nestParent, boolean allocPasid, int fault,
                          SortedMap<Integer, PageMapping> pages, boolean auto) {
            this(users, ioas, nestParent, allocPasid, fault, pages, auto, Dirty.NONE);
        }

        @Override public HwptPaging withUsers(int users) {
            return new HwptPaging(users, ioas, nestParent, allocPasid, fault, pages, auto, dirty);
        }

        @Override public ObjectKind kind() { return ObjectKind.HWPT_PAGING; }

        @Override public List<Integer> references() {
            return fault == 0 ? List.of(ioas) : List.of(ioas, fault);
        }

        @Override public int faultQueue() {
            return fault;
        }

        /** The same table with these pages; dirty bits of pages it no longer maps go with them. */
        public HwptPaging withPages(SortedMap<Integer, PageMapping> pages) {
            return new HwptPaging(users, ioas, nestParent, allocPasid, fault, pages, auto, dirty.within(pages));
        }

        public HwptPaging withDirty(Dirty dirty) {
            return new HwptPaging(users, ioas, nestParent, allocPasid, fault, pages, auto, dirty);
        }
    }

    /**
     * The dirty tracking of a paging HWPT allocated with DIRTY_TRACKING (iommufd, DIRTY-1..6);
     * {@link #NONE} for one allocated without. {@code pages} holds the IOVA pages whose dirty bit is
     * set: written while tracking was on, since the bit was last cleared (enabling tracking clears
     * every bit, a read clears what it reads unless NO_CLEAR, an unmap takes the page's bit with it).
     */
    record Dirty(boolean trackable, boolean tracking, Set<Integer> pages) {
        public static final Dirty NONE = new Dirty(false, false, HashSet.empty());
        public static final Dirty OFF = new Dirty(true, false, HashSet.empty());
        public static final Dirty ON = new Dirty(true, true, HashSet.empty());

        /** A DMA write at IOVA page {@code page} of the table: its bit is set while tracking is on. */
        Dirty written(int page) {
            return tracking ? new Dirty(true, true, pages.add(page)) : this;
        }

        /** The bits of {@code [iova, iova + count)} cleared. */
        Dirty cleared(int iova, int count) {
            return new Dirty(trackable, tracking, pages.filter(p -> p < iova || p >= (long) iova + count));
        }

        Dirty within(SortedMap<Integer, PageMapping> mapped) {
            return pages.isEmpty() ? this : new Dirty(trackable, tracking, pages.filter(mapped::containsKey));
        }
    }

    /**
     * A user-managed stage-1 table on a NEST_PARENT paging HWPT. {@code stage1} is what the guest
     * wrote, by IOVA page; {@code stale} holds, for each page written since the last invalidate
     * that covered it, every value it had since then: a device may still translate with any of them
     * (XLT-4). An absent entry is {@link Stage1Entry#ABSENT}. {@code viommu} is the vIOMMU it was
     * allocated on (0: none), whose HWPT is then {@code parent}; it holds its reference on the
     * vIOMMU rather than the parent (VIOMMU-3).
     */
    record HwptNested(int users, int parent, boolean allocPasid, int fault, Map<Integer, Stage1Entry> stage1,
                      Map<Integer, Set<Stage1Entry>> stale, int viommu) implements ModelObject {
        public static HwptNested of(int parent, boolean allocPasid, int fault) {
            return onViommu(parent, 0, allocPasid, fault);
        }

        public static HwptNested onViommu(int parent, int viommu, boolean allocPasid, int fault) {
            return new HwptNested(0, parent, allocPasid, fault, HashMap.empty(), HashMap.empty(), viommu);
        }

        @Override public HwptNested withUsers(int users) {
            return new HwptNested(users, parent, allocPasid, fault, stage1, stale, viommu);
        }

        public HwptNested withStage1(Map<Integer, Stage1Entry> stage1, Map<Integer, Set<Stage1Entry>> stale) {
            return new HwptNested(users, parent, allocPasid, fault, stage1, stale, viommu);
        }

        public Stage1Entry entry(int iova) {
            return stage1.get(iova).getOrElse(Stage1Entry.ABSENT);
        }

        /** The same table once an invalidation of {@code [iova, iova + pages)} reached it: itself if nothing there was stale (XLT-5). */
        public HwptNested invalidated(int iova, int pages) {
            Map<Integer, Set<Stage1Entry>> kept = stale.filter(e -> e._1 < iova || e._1 >= (long) iova + pages);
            return kept.size() == stale.size() ? this : withStage1(stage1, kept);
        }

        @Override public ObjectKind kind() { return ObjectKind.HWPT_NESTED; }

        /** The object it holds its table reference on: the vIOMMU it was allocated on, else its parent. */
        public int holder() {
            return viommu != 0 ? viommu : parent;
        }

        @Override public List<Integer> references() {
            return fault == 0 ? List.of(holder()) : List.of(holder(), fault);
        }

        @Override public int faultQueue() {
            return fault;
        }
    }

    /** A stage-1 entry: IOVA page to guest-physical page (an IOVA of the parent) with an access. */
    record Stage1Entry(int gpa, Access access) {
        public static final Stage1Entry ABSENT = new Stage1Entry(0, Access.NONE);
    }

    /**
     * A completed page request group waiting for its owner: {@code serial} numbers groups in the
     * order they completed, so that "answered exactly once" can be checked; {@code via} is the PASID
     * of the attach point whose table took it: its own, or the RID's (PRQ-8), the attachment whose
     * end answers it (FLT-5), as the kernel's group keeps its attach handle.
     */
    record OpenGroup(long serial, int device, int pasid, int group, List<RequestedPage> requests, FaultLevel level,
                     int via) {
    }

    /**
     * A fault queue: groups delivered and not yet read, in arrival order; groups read and awaiting
     * a response, by cookie; and the cookies it may not hand out again (FLT-1: under ioasid-2021 every
     * cookie it ever handed out, under iommufd those still awaiting a response).
     */
    record FaultQueue(int users, List<OpenGroup> delivered, Map<Integer, OpenGroup> awaiting, Set<Integer> usedCookies)
            implements ModelObject {
        public static FaultQueue empty() {
            return new FaultQueue(0, List.empty(), HashMap.empty(), HashSet.empty());
        }

        @Override public FaultQueue withUsers(int users) { return new FaultQueue(users, delivered, awaiting, usedCookies); }

        public FaultQueue with(List<OpenGroup> delivered, Map<Integer, OpenGroup> awaiting, Set<Integer> usedCookies) {
            return new FaultQueue(users, delivered, awaiting, usedCookies);
        }

        /** Every group the queue holds, delivered or awaiting, in the order they completed. */
        public List<OpenGroup> outstanding() {
            if (awaiting.isEmpty()) {
                return delivered;
            }
            return delivered.appendAll(awaiting.values()).sortBy(OpenGroup::serial);
        }

        @Override public ObjectKind kind() { return ObjectKind.FAULT_QUEUE; }
    }

    /** An SVA domain binding process address space {@code mm}. */
    record Sva(int users, int mm) implements ModelObject {
        @Override public Sva withUsers(int users) { return new Sva(users, mm); }

        @Override public ObjectKind kind() { return ObjectKind.SVA; }
    }

    /**
     * A virtual IOMMU (iommufd): the VM's view of the IOMMU, on NEST_PARENT paging HWPT {@code hwpt}
     * (it holds a reference on it). Its users are its vDEVICEs and the nested HWPTs allocated on it.
     */
    record Viommu(int users, int hwpt) implements ModelObject {
        @Override public Viommu withUsers(int users) { return new Viommu(users, hwpt); }

        @Override public ObjectKind kind() { return ObjectKind.VIOMMU; }

        @Override public List<Integer> references() { return List.of(hwpt); }
    }

    /** A vDEVICE (iommufd): {@code device} is {@code virtId} in vIOMMU {@code viommu}, on which it holds a reference. */
    record Vdevice(int users, int viommu, int device, int virtId) implements ModelObject {
        @Override public Vdevice withUsers(int users) { return new Vdevice(users, viommu, device, virtId); }

        @Override public ObjectKind kind() { return ObjectKind.VDEVICE; }

        @Override public List<Integer> references() { return List.of(viommu); }
    }
}
