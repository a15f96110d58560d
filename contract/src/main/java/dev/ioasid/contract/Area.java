package dev.ioasid.contract;

/** A mapped area of an IOAS: {@code pages} IOVA pages from {@code iova} onto host pages from {@code host}. */
public record Area(int iova, int pages, int host, Access access) {
    public int end() {
        return iova + pages;
    }

    public boolean overlaps(int otherIova, int otherPages) {
        return iova < otherIova + otherPages && otherIova < end();
    }

    public boolean within(int rangeIova, int rangePages) {
        return rangeIova <= iova && end() <= rangeIova + rangePages;
    }

    @Override
    public String toString() {
        return "[" + iova + ".." + (end() - 1) + "]->" + host + ":" + access;
    }
}
