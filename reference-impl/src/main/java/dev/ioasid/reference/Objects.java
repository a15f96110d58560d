package dev.ioasid.reference;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.ObjectKind;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The objects of an iommufd context, as C structs with a refcount ({@code users}) and pointers. */
final class Objects {

    private Objects() {
    }

    abstract static class IommufdObject {
        final ObjectKind kind;
        int id;
        int users;

        IommufdObject(ObjectKind kind) {
            this.kind = kind;
        }
    }

    /** A mapped range of an IOAS (an {@code iopt_area}). */
    static final class IoptArea {
        final int iova;
        final int pages;
        final int host;
        final Access access;

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

    static final class Ioas extends IommufdObject {
        /** Areas by first IOVA page: the interval tree of {@code io_pagetable}. */
        final TreeMap<Integer, IoptArea> areas = new TreeMap<>();
        /** The paging domains filled from this IOAS, updated on every map and unmap. */
        final List<HwptPaging> domains = new ArrayList<>();

        Ioas() {
            super(ObjectKind.IOAS);
        }
    }

    static final class HwptPaging extends IommufdObject {
        final Ioas ioas;
        final boolean nestParent;
        final boolean allocPasid;
        final FaultQueue fault;
        final IoPageTable table;

        HwptPaging(Ioas ioas, boolean nestParent, boolean allocPasid, FaultQueue fault, IoPageTable table) {
            super(ObjectKind.HWPT_PAGING);
            this.ioas = ioas;
            this.nestParent = nestParent;
            this.allocPasid = allocPasid;
            this.fault = fault;
            this.table = table;
        }
    }

    static final class HwptNested extends IommufdObject {
        final HwptPaging parent;
        final boolean allocPasid;
        final FaultQueue fault;

        HwptNested(HwptPaging parent, boolean allocPasid, FaultQueue fault) {
            super(ObjectKind.HWPT_NESTED);
            this.parent = parent;
            this.allocPasid = allocPasid;
            this.fault = fault;
        }
    }

    static final class FaultQueue extends IommufdObject {
        FaultQueue() {
            super(ObjectKind.FAULT_QUEUE);
        }
    }

    static final class Sva extends IommufdObject {
        final int mm;

        Sva(int mm) {
            super(ObjectKind.SVA);
            this.mm = mm;
        }
    }
}
