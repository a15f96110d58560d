package dev.ioasid.contract;

import java.util.List;

/**
 * What an operation returned: success with a payload, or an errno. Values compare by content, so
 * an implementation's result can be checked against the model's with {@code equals}.
 */
public sealed interface Result {

    static Result done() {
        return Done.INSTANCE;
    }

    static Result failed(Errno errno) {
        return new Failed(errno);
    }

    default boolean isOk() {
        return !(this instanceof Failed);
    }

    /** Short name of the outcome for coverage tables: {@code ok}, the errno, or the level of a DMA fault. */
    default String outcomeName() {
        if (this instanceof Faulted f) {
            return "fault:" + f.level();
        }
        return this instanceof Failed f ? f.errno().name() : "ok";
    }

    /** Success without a payload. */
    record Done() implements Result {
        static final Done INSTANCE = new Done();

        @Override public String toString() { return "ok"; }
    }

    /** Success that created a PASID or an object with this ID. */
    record Allocated(int id) implements Result {
        @Override public String toString() { return "ok(id=" + id + ")"; }
    }

    /** Success of a map whose IOVA the implementation chose, at this IOVA. */
    record Mapped(int iova) implements Result {
        @Override public String toString() { return "ok(iova=" + iova + ")"; }
    }

    /** Success of an unmap, with how many pages it removed. */
    record Unmapped(int pages) implements Result {
        @Override public String toString() { return "ok(unmapped=" + pages + ")"; }
    }

    record SetUsage(int quota, int used) implements Result {
        @Override public String toString() { return "ok(quota=" + quota + ", used=" + used + ")"; }
    }

    record PasidStatus(PasidState state, int refs) implements Result {
        @Override public String toString() { return "ok(" + state + ", refs=" + refs + ")"; }
    }

    record ObjectStatus(ObjectKind kind, int users) implements Result {
        @Override public String toString() { return "ok(" + kind + ", users=" + users + ")"; }
    }

    /** The areas of an IOAS, sorted by IOVA. */
    record Areas(List<Area> areas) implements Result {
        public Areas {
            areas = List.copyOf(areas);
        }

        @Override public String toString() { return "ok(areas=" + areas + ")"; }
    }

    /** The page-by-page translation of a table, sorted by IOVA. */
    record Pages(List<PageMapping> pages) implements Result {
        public Pages {
            pages = List.copyOf(pages);
        }

        @Override public String toString() { return "ok(pages=" + pages + ")"; }
    }

    /** The dirty IOVA pages a dirty bitmap read reported, sorted. */
    record DirtyPages(List<Integer> iovas) implements Result {
        public DirtyPages {
            iovas = List.copyOf(iovas);
        }

        @Override public String toString() { return "ok(dirty=" + iovas + ")"; }
    }

    /** What is attached at an attach point: a table ID, or 0 for nothing. */
    record AttachedTable(int table) implements Result {
        @Override public String toString() { return table == 0 ? "ok(detached)" : "ok(table=" + table + ")"; }
    }

    /** A DMA that translated, to this host page. */
    record Translated(int host) implements Result {
        @Override public String toString() { return "ok(host=" + host + ")"; }
    }

    /** A DMA that faulted, at this level. */
    record Faulted(FaultLevel level) implements Result {
        @Override public String toString() { return "fault(" + level + ")"; }
    }

    /** The groups a read of a fault queue returned, in order. */
    record FaultGroups(List<FaultGroup> groups) implements Result {
        public FaultGroups {
            groups = List.copyOf(groups);
        }

        @Override public String toString() { return "ok(groups=" + groups + ")"; }
    }

    /** The page responses a device received, in order. */
    record Responses(List<DeviceResponse> responses) implements Result {
        public Responses {
            responses = List.copyOf(responses);
        }

        @Override public String toString() { return "ok(responses=" + responses + ")"; }
    }

    record Failed(Errno errno) implements Result {
        @Override public String toString() { return errno.name(); }
    }
}
