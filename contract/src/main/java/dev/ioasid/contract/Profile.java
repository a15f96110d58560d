package dev.ioasid.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which version of the contract is checked. The steps of the model read it (as they read the
 * fault-routing design); SPEC.md's "Profiles" table lists every rule on which the two differ.
 */
public enum Profile {
    /**
     * The 2021 proposal: IOASID sets with quotas own PASIDs ({@code ioasid.c} and the ioasid_set
     * series), an attachment holds a reference on its PASID, fault cookies are never reused.
     */
    IOASID_2021("ioasid-2021"),
    /**
     * iommufd as merged (Linux 6.2 onwards): no sets (their calls do not exist: {@code ENOTTY}), a
     * PASID attach names any PASID the device can issue, a cookie may come back once answered,
     * iommufd's errnos and check orders, and RID/PASID attachment compatibility.
     */
    IOMMUFD("iommufd");

    private final String cliName;

    Profile(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The profile with this command-line name or enum name ({@code iommufd}, {@code IOMMUFD}). */
    public static Optional<Profile> byName(String name) {
        return Arrays.stream(values()).filter(p -> p.cliName.equals(name) || p.name().equals(name)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Profile::cliName).toArray(String[]::new));
    }
}
