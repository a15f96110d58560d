package dev.ioasid.model;

import dev.ioasid.contract.Area;
import dev.ioasid.contract.ObjectKind;
import dev.ioasid.contract.PageMapping;
import io.vavr.collection.List;
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

    /** An I/O address space: areas by first IOVA page. */
    record Ioas(int users, SortedMap<Integer, Area> areas) implements ModelObject {
        public static Ioas empty() {
            return new Ioas(0, TreeMap.empty());
        }

        @Override public Ioas withUsers(int users) { return new Ioas(users, areas); }

        @Override public ObjectKind kind() { return ObjectKind.IOAS; }

        public Ioas withAreas(SortedMap<Integer, Area> areas) {
            return new Ioas(users, areas);
        }
    }

    /**
     * A kernel-managed page table. {@code pages} is the table's own content, kept apart from the
     * IOAS's areas so that the mirror invariant (HWPT-2) states something.
     */
    record HwptPaging(int users, int ioas, boolean nestParent, boolean allocPasid, int fault,
                      SortedMap<Integer, PageMapping> pages) implements ModelObject {
        @Override public HwptPaging withUsers(int users) {
            return new HwptPaging(users, ioas, nestParent, allocPasid, fault, pages);
        }

        @Override public ObjectKind kind() { return ObjectKind.HWPT_PAGING; }

        @Override public List<Integer> references() {
            return fault == 0 ? List.of(ioas) : List.of(ioas, fault);
        }

        public HwptPaging withPages(SortedMap<Integer, PageMapping> pages) {
            return new HwptPaging(users, ioas, nestParent, allocPasid, fault, pages);
        }
    }

    /** A user-managed stage-1 table on a NEST_PARENT paging HWPT. */
    record HwptNested(int users, int parent, boolean allocPasid, int fault) implements ModelObject {
        @Override public HwptNested withUsers(int users) { return new HwptNested(users, parent, allocPasid, fault); }

        @Override public ObjectKind kind() { return ObjectKind.HWPT_NESTED; }

        @Override public List<Integer> references() {
            return fault == 0 ? List.of(parent) : List.of(parent, fault);
        }
    }

    record FaultQueue(int users) implements ModelObject {
        @Override public FaultQueue withUsers(int users) { return new FaultQueue(users); }

        @Override public ObjectKind kind() { return ObjectKind.FAULT_QUEUE; }
    }

    /** An SVA domain binding process address space {@code mm}. */
    record Sva(int users, int mm) implements ModelObject {
        @Override public Sva withUsers(int users) { return new Sva(users, mm); }

        @Override public ObjectKind kind() { return ObjectKind.SVA; }
    }
}
