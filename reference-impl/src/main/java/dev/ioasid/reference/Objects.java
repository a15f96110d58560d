package dev.ioasid.reference;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.ObjectKind;
import dev.ioasid.contract.RequestedPage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The objects of an iommufd context, as C structs with a refcount ({@code users}) and pointers. */
public final class Objects {

    private Objects() {
    }

    /**
     * The paging domain a table's translations end in: the table itself, or a nested table's parent;
     * null for an IOAS or SVA domain.
     */
    static HwptPaging lastStage(IommufdObject table) {
        return table instanceof HwptPaging p ? p : table instanceof HwptNested n ? n.parent : null;
    }

    public abstract static class IommufdObject {
        public final ObjectKind kind;
        public int id;
        public int users;

        IommufdObject(ObjectKind kind) {
            this.kind = kind;
        }
    }

    /** A mapped range of an IOAS (an {@code iopt_area}). */
    public static final class IoptArea {
        public final int iova;
        public final int pages;
        public final int host;
        public final Access access;
        /** Whether the pages behind it were pinned writable (iopt_pages.writable), shared by its copies. */
        public final boolean pagesWritable;

        IoptArea(int iova, int pages, int host, Access access) {
            this(iova, pages, host, access, access.permits(Access.WRITE));
        }

        IoptArea(int iova, int pages, int host, Access access, boolean pagesWritable) {
            this.iova = iova;
            this.pages = pages;
            this.host = host;
            this.access = access;
            this.pagesWritable = pagesWritable;
        }

        int last() {
            return iova + pages - 1;
        }
    }

    /** A reserved IOVA range of an IOAS (an {@code iopt_reserved}), owned by the device that brought it. */
    public static final class IoptReserved {
        public final int iova;
        public final int last;
        public final int owner;

        IoptReserved(int iova, int last, int owner) {
            this.iova = iova;
            this.last = last;
            this.owner = owner;
        }
    }

    public static final class Ioas extends IommufdObject {
        /** Areas by first IOVA page: the interval tree of {@code io_pagetable}. */
        public final TreeMap<Integer, IoptArea> areas = new TreeMap<>();
        /** The paging domains filled from this IOAS, updated on every map and unmap. */
        public final List<HwptPaging> domains = new ArrayList<>();
        /** The allowed IOVA range (allowed_itree) of one range, or none when {@code allowedPages} is 0. */
        public int allowedIova;
        public int allowedPages;
        /** The reserved IOVA ranges (reserved_itree), each with the device that owns it. */
        public final List<IoptReserved> reserved = new ArrayList<>();

        Ioas() {
            super(ObjectKind.IOAS);
        }
    }

    public static final class HwptPaging extends IommufdObject {
        public final Ioas ioas;
        public final boolean nestParent;
        public final boolean allocPasid;
        public final FaultQueue fault;
        public final IoPageTable table;
        /** An automatic domain (iommufd's hwpt->auto_domain): made by an IOAS attach, gone with its last user. */
        public final boolean auto;
        /** Allocated with IOMMU_HWPT_ALLOC_DIRTY_TRACKING: the domain has dirty_ops. */
        public boolean dirtyOps;
        /** Whether dirty tracking is on (set_dirty_tracking). */
        public boolean dirtyTracking;

        HwptPaging(Ioas ioas, boolean nestParent, boolean allocPasid, FaultQueue fault, IoPageTable table) {
            this(ioas, nestParent, allocPasid, fault, table, false);
        }

        HwptPaging(Ioas ioas, boolean nestParent, boolean allocPasid, FaultQueue fault, IoPageTable table, boolean auto) {
            super(ObjectKind.HWPT_PAGING);
            this.ioas = ioas;
            this.nestParent = nestParent;
            this.allocPasid = allocPasid;
            this.fault = fault;
            this.table = table;
            this.auto = auto;
        }
    }

    public static final class HwptNested extends IommufdObject {
        public final HwptPaging parent;
        /** The vIOMMU it was allocated on (then {@code parent} is the vIOMMU's HWPT), or null. */
        public final Viommu viommu;
        public final boolean allocPasid;
        public final FaultQueue fault;
        /** The guest's stage-1 table, in guest memory: one PTE per IOVA page, {@code gpa << 3 | W | R | P}. */
        public final long[] stage1;

        HwptNested(HwptPaging parent, boolean allocPasid, FaultQueue fault, int iovaPages) {
            this(parent, null, allocPasid, fault, iovaPages);
        }

        HwptNested(HwptPaging parent, Viommu viommu, boolean allocPasid, FaultQueue fault, int iovaPages) {
            super(ObjectKind.HWPT_NESTED);
            this.parent = parent;
            this.viommu = viommu;
            this.allocPasid = allocPasid;
            this.fault = fault;
            this.stage1 = new long[iovaPages];
        }
    }

    /** An iommufd_viommu: a nest parent HWPT and the xarray of its vDEVICEs by virtual ID. */
    public static final class Viommu extends IommufdObject {
        public final HwptPaging hwpt;
        public final Map<Long, Vdevice> vdevs = new java.util.HashMap<>();

        Viommu(HwptPaging hwpt) {
            super(ObjectKind.VIOMMU);
            this.hwpt = hwpt;
        }
    }

    /** An iommufd_vdevice: a device as the guest knows it, by virtual ID in one vIOMMU. */
    public static final class Vdevice extends IommufdObject {
        public final Viommu viommu;
        public final int device;
        public final long virtId;

        Vdevice(Viommu viommu, int device, long virtId) {
            super(ObjectKind.VDEVICE);
            this.viommu = viommu;
            this.device = device;
            this.virtId = virtId;
        }
    }

    /** A completed page request group in flight: {@code seq} orders groups by completion. */
    public static final class IopfGroup {
        public final long seq;
        public final int device;
        public final int pasid;
        public final int group;
        public final List<RequestedPage> requests;
        /** The PASID of the attach handle that took the group (the RID's for a guest-owned PASID table). */
        public final int via;

        IopfGroup(long seq, int device, int pasid, int group, List<RequestedPage> requests, int via) {
            this.seq = seq;
            this.device = device;
            this.pasid = pasid;
            this.group = group;
            this.requests = requests;
            this.via = via;
        }
    }

    /** An iommufd fault object: groups to deliver, then a response table by cookie. */
    public static final class FaultQueue extends IommufdObject {
        public final Deque<IopfGroup> deliver = new ArrayDeque<>();
        public final Map<Integer, IopfGroup> response = new LinkedHashMap<>();
        public int nextCookie = 1;

        FaultQueue() {
            super(ObjectKind.FAULT_QUEUE);
        }
    }

    public static final class Sva extends IommufdObject {
        public final int mm;

        Sva(int mm) {
            super(ObjectKind.SVA);
            this.mm = mm;
        }
    }
}
