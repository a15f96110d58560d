package dev.ioasid.contract;

/** A mapped area of an IOAS: {@code pages} IOVA pages from {@code iova} onto host pages from {@code host}. */
public record Area(int iova, int pages, int host, Access access) {
    /** The first page past the area, in 64 bits: the uAPI's IOVA and length are u64, and their sum must not wrap. */
    public long end() {
        return (long) iova + pages;
    }

    public boolean overlaps(int otherIova, int otherPages) {
        return iova < (long) otherIova + otherPages && otherIova < end();
    }

    public boolean within(int rangeIova, int rangePages) {
        return rangeIova <= iova && end() <= (long) rangeIova + rangePages;
    }

    @Override
    public String toString() {
        return "[" + iova + ".." + (end() - 1) + "]->" + host + ":" + access;
    }
}
