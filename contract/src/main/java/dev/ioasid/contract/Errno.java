package dev.ioasid.contract;

/** The error numbers the contract uses, as the kernel names them. Errors are values, never exceptions. */
public enum Errno {
    EINVAL,
    ENOENT,
    ENOSPC,
    EEXIST,
    EBUSY,
    EACCES,
    EOPNOTSUPP,
    /** No such call: iommufd's ioctl dispatcher answers an unknown command so (the IOASID set calls under the iommufd profile). */
    ENOTTY,
    /** An I/O error: arm-smmu-v3's answer to an invalidation naming an unknown virtual device ID (VIOMMU-4). */
    EIO,
    /** Not permitted: iommufd's answer to a writable copy of pages pinned read-only (IOAS-10). */
    EPERM,
    /**
     * Address in use: iommufd's answer to an attach whose device reserves IOVAs an area or the
     * allowed range of the IOAS covers, and to allowed IOVAs a device reserves (RESV-2, RESV-4).
     */
    EADDRINUSE
}
