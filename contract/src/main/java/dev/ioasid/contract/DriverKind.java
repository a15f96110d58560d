package dev.ioasid.contract;

/** Which driver a device is bound to; it matters to the fault-routing design variants. */
public enum DriverKind {
    VFIO_PCI,
    VDPA,
    MDEV
}
