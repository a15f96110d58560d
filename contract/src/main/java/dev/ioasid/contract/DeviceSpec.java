package dev.ioasid.contract;

/**
 * A device of the configuration, assigned to one VM. {@code pasids} is how many PASID values the
 * device can issue (values {@code 1..pasids-1} plus the RID, as the kernel's {@code max_pasids}); 0
 * means the device has no PASID support.
 */
public record DeviceSpec(int id, int vm, int pasids, boolean pri, DriverKind driver) {
    public boolean pasidCapable() {
        return pasids > 0;
    }

    /** Whether the device can issue this PASID value (the kernel's {@code pasid >= max_pasids} check). */
    public boolean canIssue(int pasid) {
        return pasid < pasids;
    }
}
