package dev.ioasid.reference;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.ObjectKind;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The objects of an iommufd context, as C structs with a refcount ({@code users}) and pointers. */
public final class Objects {

    private Objects() {
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

        IoptArea(int iova, int pages, int host, Access access) {
            this.iova = iova;
            this.pages = pages;
            this.host = host;
            this.access = access;
        }

        int last() {
            return iova + pages - 1;
        }
    }

    public static final class Ioas extends IommufdObject {
        /** Areas by first IOVA page: the interval tree of {@code io_pagetable}. */
        public final TreeMap<Integer, IoptArea> areas = new TreeMap<>();
        /** The paging domains filled from this IOAS, updated on every map and unmap. */
        public final List<HwptPaging> domains = new ArrayList<>();

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

        HwptPaging(Ioas ioas, boolean nestParent, boolean allocPasid, FaultQueue fault, IoPageTable table) {
            super(ObjectKind.HWPT_PAGING);
            this.ioas = ioas;
            this.nestParent = nestParent;
            this.allocPasid = allocPasid;
            this.fault = fault;
            this.table = table;
        }
    }

    public static final class HwptNested extends IommufdObject {
        public final HwptPaging parent;
        public final boolean allocPasid;
        public final FaultQueue fault;

        HwptNested(HwptPaging parent, boolean allocPasid, FaultQueue fault) {
            super(ObjectKind.HWPT_NESTED);
            this.parent = parent;
            this.allocPasid = allocPasid;
            this.fault = fault;
        }
    }

    public static final class FaultQueue extends IommufdObject {
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
