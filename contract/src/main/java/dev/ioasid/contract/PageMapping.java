package dev.ioasid.contract;

/** One translated IOVA page of an I/O page table. */
public record PageMapping(int iova, int host, Access access) {
    @Override
    public String toString() {
        return iova + "->" + host + ":" + access;
    }
}
