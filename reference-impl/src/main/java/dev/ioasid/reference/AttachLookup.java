package dev.ioasid.reference;

import dev.ioasid.reference.Objects.IommufdObject;

/** What DMA and page requests at an attach point go through: the attach handle and its table. */
public interface AttachLookup {

    /** The table attached at exactly this point, or null. */
    IommufdObject attachedAt(int device, int pasid);

    /**
     * The PASID of the attach handle requests at the point use: the point's own, or, for a device
     * whose driver lets the guest own the PASID table and a PASID with nothing of its own, the RID's
     * when a nested domain sits there (io-pgfault.c, find_fault_handler).
     */
    int handle(int device, int pasid);

    /** The table requests at the point go through, or null. */
    default IommufdObject through(int device, int pasid) {
        return attachedAt(device, handle(device, pasid));
    }
}
