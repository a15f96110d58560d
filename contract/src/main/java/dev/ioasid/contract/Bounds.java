package dev.ioasid.contract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    // Upper limits, so that every accepted bounds file runs in bounded memory and time: the reference
    // implementation allocates arrays of pasidMax + 1 PASIDs, (vms + 1) x (maxObjects + 1) object slots,
    // (mms + 1) x mmPages entries and iovaPages entries a nested HWPT, and the model lists every free
    // ID of the range on each allocation (so fuzzing slows down as pasidMax and maxObjects grow).

    /** PCIe PASIDs are 20 bits wide: the kernel's selftest device has {@code 1 << 20} of them. */
    public static final int MAX_PASIDS = 1 << 20;
    /** Device IDs name devices only; as many as there are PASIDs is plenty. */
    public static final int MAX_DEVICE_ID = 1 << 20;
    public static final int MAX_DEVICES = 64;
    public static final int MAX_VMS = 64;
    public static final int MAX_MMS = 64;
    /** IOVA, host and mm pages; {@code 1 << 16} IOVA pages fuzz as fast as the default's 8. */
    public static final int MAX_PAGES = 1 << 16;
    public static final int MAX_OBJECTS = 1 << 16;
    public static final int MAX_GROUPS = 1 << 16;

    public Bounds {
        devices = List.copyOf(devices);
        if (profile == null) {
            profile = Profile.IOASID_2021;
        }
        List<String> problems = problems(capacity, pasidMax, vms, iovaPages, hostPages, maxObjects, mms, mmPages,
                groups);
        problems.addAll(deviceProblems(devices, vms, iovaPages));
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
     * The small default: two VMs; a PASID-capable vfio-pci device behind an IOMMU that offers
     * vIOMMUs and tracks dirty pages, and reserves the last IOVA page (as an MSI window near the top
     * of the 32-bit space is reserved on x86), and a vDPA device that issues fewer PASIDs, in VM 1; an mdev
     * device without PASID support in VM 2; room for nesting and a fault queue.
     */
    public static Bounds defaults() {
        return new Bounds(6, 8, 2, List.of(
                new DeviceSpec(1, 1, 8, true, DriverKind.VFIO_PCI, false, true, true,
                        List.of(new ReservedRange(7, 1))),
                new DeviceSpec(2, 1, 4, true, DriverKind.VDPA),
                new DeviceSpec(3, 2, 0, false, DriverKind.MDEV)),
                8, 8, 6, 2, 4, 2);
    }

    /**
     * The explorer's small default (also the parallel runs'): one VM with a PASID set; a vfio-pci and
     * a vDPA device with PRI and no PASIDs; room for four objects; one page of everything.
     */
    public static Bounds small() {
        return new Bounds(1, 1, 1, List.of(
                new DeviceSpec(1, 1, 0, true, DriverKind.VFIO_PCI),
                new DeviceSpec(2, 1, 0, true, DriverKind.VDPA)),
                1, 1, 4, 0, 1, 1);
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

    private static List<String> problems(int capacity, int pasidMax, int vms, int iovaPages, int hostPages,
                                         int maxObjects, int mms, int mmPages, int groups) {
        List<String> problems = new ArrayList<>();
        within(problems, "capacity", capacity, 1, MAX_PASIDS);
        within(problems, "pasidMax", pasidMax, 1, MAX_PASIDS);
        within(problems, "vms", vms, 1, MAX_VMS);
        within(problems, "iovaPages", iovaPages, 1, MAX_PAGES);
        within(problems, "hostPages", hostPages, 1, MAX_PAGES);
        within(problems, "maxObjects", maxObjects, 1, MAX_OBJECTS);
        within(problems, "mms", mms, 0, MAX_MMS);
        within(problems, "mmPages", mmPages, 1, MAX_PAGES);
        within(problems, "groups", groups, 1, MAX_GROUPS);
        if (capacity > pasidMax) {
            problems.add("capacity (" + capacity + ") must not exceed pasidMax (" + pasidMax + ")");
        }
        return problems;
    }

    private static List<String> deviceProblems(List<DeviceSpec> devices, int vms, int iovaPages) {
        List<String> problems = new ArrayList<>();
        // Too many devices is one problem, not one a device: the message stays short and checking stays cheap.
        if (devices.size() > MAX_DEVICES) {
            problems.add("number of devices must be in 0.." + MAX_DEVICES + ", was " + devices.size());
            return problems;
        }
        Map<Integer, Integer> firstWithId = new HashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            DeviceSpec d = devices.get(i);
            String where = "devices[" + i + "]";
            within(problems, where + ".id", d.id(), 1, MAX_DEVICE_ID);
            within(problems, where + ".vm", d.vm(), 1, vms);
            within(problems, where + ".pasids", d.pasids(), 0, MAX_PASIDS);
            if (d.driver() == null) {
                problems.add(where + ".driver is missing");
            }
            for (int r = 0; r < d.reserved().size(); r++) {
                ReservedRange range = d.reserved().get(r);
                if (range.pages() < 1 || range.iova() < 0 || range.end() > iovaPages) {
                    problems.add(where + ".reserved[" + r + "] must be at least one page within IOVA pages 0.."
                            + (iovaPages - 1) + ", was iova " + range.iova() + ", pages " + range.pages());
                }
            }
            Integer first = firstWithId.putIfAbsent(d.id(), i);
            if (first != null) {
                problems.add(where + ".id " + d.id() + " repeats devices[" + first + "].id");
            }
        }
        return problems;
    }

    private static void within(List<String> problems, String field, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            problems.add(field + " must be in " + lo + ".." + hi + ", was " + value);
        }
    }
}
