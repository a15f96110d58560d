package dev.ioasid.reference;

import dev.ioasid.contract.Errno;

/**
 * Kernel-style error returns: functions return a non-negative value or {@code -errno}, and only the
 * ioctl boundary turns a negative number into an {@link Errno} (see {@link ReferenceImplementation}).
 */
public final class Err {
    public static final int EACCES = -13;
    public static final int EBUSY = -16;
    public static final int EEXIST = -17;
    public static final int EINVAL = -22;
    public static final int ENOENT = -2;
    public static final int ENOSPC = -28;
    public static final int EOPNOTSUPP = -95;
    public static final int ENOTTY = -25;
    public static final int EIO = -5;
    public static final int EPERM = -1;
    public static final int EADDRINUSE = -98;

    private Err() {
    }

    public static boolean isErr(int ret) {
        return ret < 0;
    }

    static Errno toErrno(int ret) {
        switch (ret) {
            case EACCES: return Errno.EACCES;
            case EBUSY: return Errno.EBUSY;
            case EEXIST: return Errno.EEXIST;
            case EINVAL: return Errno.EINVAL;
            case ENOENT: return Errno.ENOENT;
            case ENOSPC: return Errno.ENOSPC;
            case EOPNOTSUPP: return Errno.EOPNOTSUPP;
            case ENOTTY: return Errno.ENOTTY;
            case EIO: return Errno.EIO;
            case EPERM: return Errno.EPERM;
            case EADDRINUSE: return Errno.EADDRINUSE;
            default: throw new IllegalStateException("not an errno: " + ret);
        }
    }
}
