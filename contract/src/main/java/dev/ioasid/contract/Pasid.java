package dev.ioasid.contract;

/** PASID values are plain ints in {@code [1, Bounds.pasidMax]}; this holds the one special value. */
public final class Pasid {
    /** The request-without-PASID (RID) attach point, as the kernel's {@code IOMMU_NO_PASID}. */
    public static final int NONE = 0;

    private Pasid() {
    }

    /** Renders a PASID argument: {@code none} for the RID. */
    public static String show(int pasid) {
        return pasid == NONE ? "none" : Integer.toString(pasid);
    }
}
