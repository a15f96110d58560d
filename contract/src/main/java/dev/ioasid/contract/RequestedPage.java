package dev.ioasid.contract;

/** One page request of a group: the address and the access the device asked for. */
public record RequestedPage(int iova, Access access) {
    @Override
    public String toString() {
        return iova + ":" + access;
    }
}
