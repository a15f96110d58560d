package dev.ioasid.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One immutable configuration from which every argument is drawn: the system PASID capacity and
 * value range, the VMs (one token each), the devices, the IOVA and host page ranges, the mm's and
 * how many objects a VM may hold. Everything is small, so that exploration stays finite.
 *
 * @param capacity   how many PASIDs the system can hand out; set quotas are reserved from it
 * @param pasidMax   PASID values are {@code 1..pasidMax}
 * @param vms        VM tokens are {@code 1..vms}; each VM has one object namespace and may create one set
 * @param devices    the devices, each assigned to a VM
 * @param iovaPages  IOVA pages are {@code 0..iovaPages-1}
 * @param hostPages  host pages are {@code 0..hostPages-1}
 * @param maxObjects object IDs of a VM are {@code 1..maxObjects}
 * @param mms        process address spaces (for SVA) are {@code 1..mms}
 * @param mmPages    virtual pages of each mm are {@code 0..mmPages-1}
 * @param groups     page request group indices are {@code 0..groups-1}
 * @param profile    which version of the contract holds ({@link Profile#IOASID_2021} when absent)
 */
public record Bounds(int capacity, int pasidMax, int vms, List<DeviceSpec> devices, int iovaPages,
                     int hostPages, int maxObjects, int mms, int mmPages, int groups,
                     @MayBeAbsent Profile profile) {

    public Bounds {
        devices = List.copyOf(devices);
        if (profile == null) {
            profile = Profile.IOASID_2021;
        }
        List<String> problems = problems(capacity, pasidMax, vms, devices, iovaPages, hostPages, maxObjects, mms);
        if (mmPages < 1) {
            problems.add("mmPages must be >= 1, was " + mmPages);
        }
        if (groups < 1) {
            problems.add("groups must be >= 1, was " + groups);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid bounds: " + String.join("; ", problems));
        }
    }

    /** Bounds of the default profile, {@link Profile#IOASID_2021}. */
    public Bounds(int capacity, int pasidMax, int vms, List<DeviceSpec> devices, int iovaPages, int hostPages,
                  int maxObjects, int mms, int mmPages, int groups) {
        this(capacity, pasidMax, vms, devices, iovaPages, hostPages, maxObjects, mms, mmPages, groups,
                Profile.IOASID_2021);
    }

    /** The same bounds under another profile. */
    public Bounds withProfile(Profile other) {
        return new Bounds(capacity, pasidMax, vms, devices, iovaPages, hostPages, maxObjects, mms, mmPages, groups,
                other);
    }

    public boolean iommufd() {
        return profile == Profile.IOMMUFD;
    }

    /**
     * The small default: two VMs; a PASID-capable vfio-pci device and a vDPA device that issues
     * fewer PASIDs in VM 1, an mdev device without PASID support in VM 2; room for nesting and a
     * fault queue.
     */
    public static Bounds defaults() {
        return new Bounds(6, 8, 2, List.of(
                new DeviceSpec(1, 1, 8, true, DriverKind.VFIO_PCI),
                new DeviceSpec(2, 1, 4, true, DriverKind.VDPA),
                new DeviceSpec(3, 2, 0, false, DriverKind.MDEV)),
                8, 8, 6, 2, 4, 2);
    }

    public Optional<DeviceSpec> device(int id) {
        for (DeviceSpec d : devices) {
            if (d.id() == id) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    public boolean isVm(int vm) {
        return vm >= 1 && vm <= vms;
    }

    public boolean isMm(int mm) {
        return mm >= 1 && mm <= mms;
    }

    public boolean isIova(int page) {
        return page >= 0 && page < iovaPages;
    }

    private static List<String> problems(int capacity, int pasidMax, int vms, List<DeviceSpec> devices,
                                         int iovaPages, int hostPages, int maxObjects, int mms) {
        List<String> problems = new ArrayList<>();
        positive(problems, "capacity", capacity);
        positive(problems, "pasidMax", pasidMax);
        positive(problems, "vms", vms);
        positive(problems, "iovaPages", iovaPages);
        positive(problems, "hostPages", hostPages);
        positive(problems, "maxObjects", maxObjects);
        if (mms < 0) {
            problems.add("mms must be >= 0, was " + mms);
        }
        if (capacity > pasidMax) {
            problems.add("capacity (" + capacity + ") must not exceed pasidMax (" + pasidMax + ")");
        }
        for (int i = 0; i < devices.size(); i++) {
            DeviceSpec d = devices.get(i);
            String where = "devices[" + i + "]";
            if (d.id() < 1) {
                problems.add(where + ".id must be >= 1, was " + d.id());
            }
            if (d.vm() < 1 || d.vm() > vms) {
                problems.add(where + ".vm must be in 1.." + vms + ", was " + d.vm());
            }
            if (d.pasids() < 0) {
                problems.add(where + ".pasids must be >= 0, was " + d.pasids());
            }
            if (d.driver() == null) {
                problems.add(where + ".driver is missing");
            }
            for (int j = 0; j < i; j++) {
                if (devices.get(j).id() == d.id()) {
                    problems.add(where + ".id " + d.id() + " repeats devices[" + j + "].id");
                }
            }
        }
        return problems;
    }

    private static void positive(List<String> problems, String field, int value) {
        if (value < 1) {
            problems.add(field + " must be >= 1, was " + value);
        }
    }
}
