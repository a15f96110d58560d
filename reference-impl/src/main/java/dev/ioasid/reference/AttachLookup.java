package dev.ioasid.reference;

import dev.ioasid.reference.Objects.IommufdObject;

/** What is attached at an attach point (the device's domain for a PASID, or the RID's). */
@FunctionalInterface
public interface AttachLookup {
    IommufdObject attachedAt(int device, int pasid);
}
