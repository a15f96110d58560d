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
    ENOTTY
}
