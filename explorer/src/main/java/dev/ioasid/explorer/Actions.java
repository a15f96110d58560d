package dev.ioasid.explorer;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.GroupKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Every operation with every argument the bounds allow, in a fixed order: object IDs
 * {@code 1..maxObjects} (and none for a fault), PASIDs {@code 1..pasidMax} (and none for an attach
 * point), every page range, every access. Respond draws its cookies from the state: those the queue
 * awaits, and one it never handed out. Exploration adds one constraint: a group holds at most
 * {@link ExploreConfig#groupRequests()} requests (a longer one is not sent), which keeps the state
 * space finite. Queries and DMA change no state; they are listed only when {@code observers} is set (for
 * conformance checking).
 */
final class Actions {
    private static final Access[] ACCESSES = {Access.READ, Access.WRITE, Access.READ_WRITE};
    /** The operations of a state are the same for every state of a bounds but for a few: built once. */
    private static final java.util.Map<Bounds, List<Operation>> FIXED = new java.util.concurrent.ConcurrentHashMap<>();

    private Actions() {
    }

    /**
     * The operations the explorer applies in a state: the fixed list of the bounds, then non-last
     * page requests while a group holds fewer than the maximum (in {@link #partialRequests}'s order),
     * then responds to the cookies the state's queues await. The order is fixed, so an operation's
     * index names it in a trace.
     */
    static List<Operation> forExploration(ModelState s, int groupRequests) {
        List<Operation> ops = new ArrayList<>(fixed(s.bounds()));
        ops.addAll(afterFixed(s, groupRequests));
        return ops;
    }

    /** What {@link #forExploration} lists after the fixed operations (the explorer reads the two apart). */
    static List<Operation> afterFixed(ModelState s, int groupRequests) {
        List<Operation> ops = new ArrayList<>();
        Bounds b = s.bounds();
        for (DeviceSpec device : b.devices()) {
            partialRequests(s, device, groupRequests, ops);
        }
        for (int vm = 1; vm <= b.vms(); vm++) {
            responds(s, vm, ops);
        }
        if (!s.prq().isEmpty()) {
            // Interleaved delivery: the driver's handler may take any device's oldest queued group next.
            for (DeviceSpec device : b.devices()) {
                if (s.prq().exists(g -> g.device() == device.id())) {
                    ops.add(new Operation.DeliverFault(device.id()));
                }
            }
        }
        return ops;
    }

    /** Every non-last page request of the bounds, in the order a state offers those it allows. */
    static List<Operation> partialRequests(Bounds bounds) {
        return PARTIAL.computeIfAbsent(bounds, b -> {
            List<Operation> all = new ArrayList<>();
            for (DeviceSpec device : b.devices()) {
                partialRequests(ModelState.initial(b), device, Integer.MAX_VALUE, all);
            }
            return List.copyOf(all);
        });
    }

    private static final java.util.Map<Bounds, List<Operation>> PARTIAL = new java.util.concurrent.ConcurrentHashMap<>();

    /** The operations every state of the bounds is offered, first in {@link #forExploration}'s list. */
    static List<Operation> fixed(Bounds bounds) {
        return FIXED.computeIfAbsent(bounds, b -> fixedOf(b));
    }

    private static List<Operation> fixedOf(Bounds b) {
        ModelState empty = ModelState.initial(b);
        List<Operation> all = of(empty, false, 1);
        List<Operation> fixed = new ArrayList<>();
        for (Operation op : all) {
            if (!(op instanceof Operation.Respond) && !(op instanceof Operation.PageRequest r && !r.last())
                    && !neverChangesTheState(b, op) && !sameStateAsWithoutPasidFlag(b, op)
                    && !unobservableAllowedRange(b, op)) {
                fixed.add(op);
            }
        }
        fixed.sort(java.util.Comparator.comparingInt(Actions::rank));
        return List.copyOf(fixed);
    }

    /**
     * The order the explorer tries operations in, by kind (within a kind, as {@link #of} lists them).
     * It decides nothing about which states are reached, but it is the order the sleep sets of
     * {@link Explorer} use, and it changes how many steps they skip: about 20 M steps on the default
     * bounds in this order, 51 M in {@link #of}'s, 60 M with the sets first (97.6 M without the
     * reduction). Operations of parts that rarely interact with the rest (the sets and PASIDs, the
     * mm pages) come last, so that after one of them every earlier, independent operation sleeps;
     * allocations and destroys, which depend on nearly everything, come first. It is also the order
     * counterexamples prefer among the shortest.
     */
    private static final List<Class<? extends Operation>> ORDER = List.of(
            Operation.AllocHwptPaging.class, Operation.AllocHwptNested.class, Operation.AllocViommu.class,
            Operation.AllocVdevice.class, Operation.AllocIoas.class,
            Operation.AllocFaultQueue.class, Operation.AllocSva.class, Operation.Destroy.class,
            Operation.MapArea.class, Operation.MapAreaAuto.class, Operation.CopyArea.class, Operation.AllowIovas.class, Operation.Unmap.class, Operation.UnmapAll.class,
            Operation.PageRequest.class, Operation.Detach.class, Operation.Replace.class, Operation.Attach.class,
            Operation.ReadFaults.class, Operation.Invalidate.class, Operation.InvalidateViommu.class,
            Operation.SetDirtyTracking.class, Operation.GetDirtyBitmap.class,
            Operation.WriteStage1.class,
            Operation.FreePasid.class, Operation.AllocPasid.class, Operation.FreeSet.class, Operation.CreateSet.class,
            Operation.MmMap.class, Operation.MmUnmap.class);

    private static int rank(Operation op) {
        int rank = ORDER.indexOf(op.getClass());
        return rank < 0 ? ORDER.size() : rank;
    }

    /**
     * Operations the contract refuses in every state of the bounds, whatever the state: they can
     * never lead anywhere, so the explorer does not spend a step on them in every state. A PASID on
     * a device that cannot issue it (ATT-3 for attach and replace, XLT-7 for a page request; detach
     * finds nothing, as no attach there ever succeeds); a nest parent with a fault queue (HWPT-3);
     * under iommufd, the IOASID set calls (GEN-2); under ioasid-2021 the vIOMMU calls (GEN-3); a
     * vIOMMU or vDEVICE through a device whose IOMMU has no vIOMMUs (VIOMMU-1, VIOMMU-2); a map at a
     * chosen IOVA where there is only IOVA 0 (IOAS-11).
     * {@code ActionsTests} checks the claim on every state of an exploration.
     */
    static boolean neverChangesTheState(Bounds b, Operation op) {
        if (b.iommufd() && dev.ioasid.model.Model.isSetCall(op)) {
            return true; // ENOTTY in every state (GEN-2)
        }
        if (!b.iommufd() && dev.ioasid.model.Model.isIommufdOnlyCall(op)) {
            return true; // ENOTTY in every state (GEN-3)
        }
        if (op instanceof Operation.MapAreaAuto && b.iovaPages() < 2) {
            return true; // ENOSPC in every state: IOVA 0 is never chosen (IOAS-11)
        }
        if (op instanceof Operation.AllocViommu || op instanceof Operation.AllocVdevice) {
            // EOPNOTSUPP or EINVAL in every state for a device behind an IOMMU without vIOMMUs (VIOMMU-1, VIOMMU-2).
            return !b.device(((Operation.DeviceOp) op).device()).orElseThrow().viommuCapable();
        }
        if (op instanceof Operation.AttachPointOp point && point.pasid() != Pasid.NONE) {
            return !b.device(point.device()).orElseThrow().canIssue(point.pasid());
        }
        if (op instanceof Operation.PageRequest r && r.pasid() != Pasid.NONE) {
            return !b.device(r.device()).orElseThrow().canIssue(r.pasid());
        }
        return op instanceof Operation.AllocHwptPaging h && h.nestParent() && h.fault() != 0;
    }

    /**
     * With no device able to issue a PASID, an allocation with ALLOC_PASID reaches the state its
     * twin without the flag reaches, up to the flag, which the fingerprint leaves out in such bounds
     * (see {@link Fingerprint}): the twin alone is explored.
     */
    static boolean sameStateAsWithoutPasidFlag(Bounds b, Operation op) {
        boolean flagged = op instanceof Operation.AllocHwptPaging h && h.allocPasid()
                || op instanceof Operation.AllocHwptNested n && n.allocPasid();
        return flagged && b.devices().stream().noneMatch(DeviceSpec::pasidCapable);
    }

    /**
     * With fewer than two IOVA pages no IOVA can ever be chosen (0 never is, IOAS-11), so nothing
     * reads an IOAS's allowed range: {@code allowIovas} reaches a state that differs from its
     * source only there. It is left out of such bounds (as the explore bounds files are), where it
     * would double the states for nothing; the property engine still checks it.
     */
    static boolean unobservableAllowedRange(Bounds b, Operation op) {
        return op instanceof Operation.AllowIovas && b.iovaPages() < 2;
    }

    private static void responds(ModelState s, int vm, List<Operation> ops) {
        for (int id = 1; id <= s.bounds().maxObjects(); id++) {
            if (s.object(vm, id).getOrNull() instanceof FaultQueue queue) {
                for (int cookie : queue.awaiting().keySet().toList().sorted()) {
                    ops.add(new Operation.Respond(vm, id, cookie, ResponseCode.SUCCESS));
                    ops.add(new Operation.Respond(vm, id, cookie, ResponseCode.INVALID));
                }
                ops.add(new Operation.Respond(vm, id, queue.usedCookies().max().getOrElse(0) + 1, ResponseCode.SUCCESS));
            }
        }
    }

    private static void partialRequests(ModelState s, DeviceSpec device, int groupRequests, List<Operation> ops) {
        Bounds b = s.bounds();
        for (int pasid = Pasid.NONE; pasid <= b.pasidMax(); pasid++) {
            for (int group = 0; group < b.groups(); group++) {
                int held = s.partial().get(new GroupKey(device.id(), pasid, group)).map(l -> l.size()).getOrElse(0);
                if (held + 1 >= groupRequests) {
                    continue;
                }
                for (int iova = 0; iova < b.iovaPages(); iova++) {
                    for (Access access : ACCESSES) {
                        ops.add(new Operation.PageRequest(device.id(), pasid, iova, access, group, false));
                    }
                }
            }
        }
    }

    /** Every query the bounds allow: they observe the state and change nothing. */
    static List<Operation> queries(Bounds b) {
        return QUERIES.computeIfAbsent(b, bounds -> of(ModelState.initial(bounds), true, 1).stream()
                .filter(Actions::isQuery)
                .toList());
    }

    /** Whether the operation only asks about the state. */
    static boolean isQuery(Operation op) {
        return dev.ioasid.model.Model.neverChangesState(op) && !(op instanceof Operation.Dma);
    }

    private static final java.util.Map<Bounds, List<Operation>> QUERIES = new java.util.concurrent.ConcurrentHashMap<>();

    static List<Operation> of(ModelState s, boolean observers, int groupRequests) {
        Bounds b = s.bounds();
        List<Operation> ops = new ArrayList<>();
        for (int vm = 1; vm <= b.vms(); vm++) {
            sets(b, vm, ops, observers);
            objects(b, vm, ops, observers);
            mappings(b, vm, ops, observers);
            faults(s, vm, ops);
        }
        for (DeviceSpec device : b.devices()) {
            attachment(s, device, ops, observers, groupRequests);
        }
        if (b.iommufd()) {
            viommus(b, ops);
            copies(b, ops);
            dirtyTracking(b, ops);
            chosenIovas(b, ops);
        }
        for (int mm = 1; mm <= b.mms(); mm++) {
            for (int page = 0; page < b.mmPages(); page++) {
                for (int host = 0; host < b.hostPages(); host++) {
                    for (Access access : ACCESSES) {
                        ops.add(new Operation.MmMap(mm, page, host, access));
                    }
                }
                ops.add(new Operation.MmUnmap(mm, page));
            }
        }
        return ops;
    }

    private static void sets(Bounds b, int vm, List<Operation> ops, boolean observers) {
        for (int quota = 0; quota <= b.capacity(); quota++) {
            ops.add(new Operation.CreateSet(vm, quota));
        }
        ops.add(new Operation.FreeSet(vm));
        for (int min = 1; min <= b.pasidMax(); min++) {
            for (int max = min; max <= b.pasidMax(); max++) {
                ops.add(new Operation.AllocPasid(vm, min, max));
            }
        }
        for (int pasid = 1; pasid <= b.pasidMax(); pasid++) {
            ops.add(new Operation.FreePasid(vm, pasid));
            if (observers) {
                ops.add(new Operation.QueryPasid(vm, pasid));
            }
        }
        if (observers) {
            ops.add(new Operation.QuerySet(vm));
        }
    }

    private static void objects(Bounds b, int vm, List<Operation> ops, boolean observers) {
        ops.add(new Operation.AllocIoas(vm));
        ops.add(new Operation.AllocFaultQueue(vm));
        for (int mm = 1; mm <= b.mms(); mm++) {
            ops.add(new Operation.AllocSva(vm, mm));
        }
        // DIRTY_TRACKING (flag 4) is iommufd's: under ioasid-2021 the list stays as it was.
        int flagCombinations = b.iommufd() ? 8 : 4;
        for (int id = 1; id <= b.maxObjects(); id++) {
            for (int fault = 0; fault <= b.maxObjects(); fault++) {
                for (int flags = 0; flags < flagCombinations; flags++) {
                    ops.add(new Operation.AllocHwptPaging(vm, id, (flags & 1) != 0, (flags & 2) != 0, fault,
                            (flags & 4) != 0));
                }
                ops.add(new Operation.AllocHwptNested(vm, id, false, fault));
                ops.add(new Operation.AllocHwptNested(vm, id, true, fault));
            }
            ops.add(new Operation.Destroy(vm, id));
            if (observers) {
                ops.add(new Operation.QueryObject(vm, id));
                ops.add(new Operation.QueryAreas(vm, id));
                ops.add(new Operation.QueryPages(vm, id));
            }
        }
    }

    /**
     * Virtual IDs {@code 0..VIRTUAL_IDS-1}: two are enough for a collision and for a vIOMMU
     * invalidation naming a virtual ID that no vDEVICE has.
     */
    static final int VIRTUAL_IDS = 2;

    /** The vIOMMU calls (iommufd only): vIOMMUs, vDEVICEs and invalidations through a vIOMMU. */
    private static void viommus(Bounds b, List<Operation> ops) {
        for (DeviceSpec device : b.devices()) {
            for (int id = 1; id <= b.maxObjects(); id++) {
                ops.add(new Operation.AllocViommu(device.id(), id));
                for (int virt = 0; virt < VIRTUAL_IDS; virt++) {
                    ops.add(new Operation.AllocVdevice(device.id(), id, virt));
                }
            }
        }
        for (int vm = 1; vm <= b.vms(); vm++) {
            for (int id = 1; id <= b.maxObjects(); id++) {
                for (int virt = 0; virt < VIRTUAL_IDS; virt++) {
                    for (int iova = 0; iova < b.iovaPages(); iova++) {
                        for (int pages = 1; iova + pages <= b.iovaPages(); pages++) {
                            ops.add(new Operation.InvalidateViommu(vm, id, virt, iova, pages));
                        }
                    }
                }
            }
        }
    }

    /** Maps at an IOVA the kernel chooses, and every allowed range, none included (iommufd only). */
    private static void chosenIovas(Bounds b, List<Operation> ops) {
        for (int vm = 1; vm <= b.vms(); vm++) {
            for (int id = 1; id <= b.maxObjects(); id++) {
                for (int pages = 1; pages <= b.iovaPages(); pages++) {
                    for (int host = 0; host + pages <= b.hostPages(); host++) {
                        for (Access access : ACCESSES) {
                            ops.add(new Operation.MapAreaAuto(vm, id, pages, host, access));
                        }
                    }
                }
                ops.add(new Operation.AllowIovas(vm, id, 0, 0));
                for (int iova = 0; iova < b.iovaPages(); iova++) {
                    for (int pages = 1; iova + pages <= b.iovaPages(); pages++) {
                        ops.add(new Operation.AllowIovas(vm, id, iova, pages));
                    }
                }
            }
        }
    }

    /** Dirty tracking on and off, and every dirty bitmap read with and without clearing (iommufd only). */
    private static void dirtyTracking(Bounds b, List<Operation> ops) {
        for (int vm = 1; vm <= b.vms(); vm++) {
            for (int id = 1; id <= b.maxObjects(); id++) {
                ops.add(new Operation.SetDirtyTracking(vm, id, true));
                ops.add(new Operation.SetDirtyTracking(vm, id, false));
                for (int iova = 0; iova < b.iovaPages(); iova++) {
                    for (int pages = 1; iova + pages <= b.iovaPages(); pages++) {
                        ops.add(new Operation.GetDirtyBitmap(vm, id, iova, pages, false));
                        ops.add(new Operation.GetDirtyBitmap(vm, id, iova, pages, true));
                    }
                }
            }
        }
    }

    /** Every IOAS copy (iommufd only): any source range to any destination IOVA, with each access. */
    private static void copies(Bounds b, List<Operation> ops) {
        for (int vm = 1; vm <= b.vms(); vm++) {
            for (int dst = 1; dst <= b.maxObjects(); dst++) {
                for (int src = 1; src <= b.maxObjects(); src++) {
                    for (int srcIova = 0; srcIova < b.iovaPages(); srcIova++) {
                        for (int pages = 1; srcIova + pages <= b.iovaPages(); pages++) {
                            for (int iova = 0; iova + pages <= b.iovaPages(); iova++) {
                                for (Access access : ACCESSES) {
                                    ops.add(new Operation.CopyArea(vm, dst, iova, src, srcIova, pages, access));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void mappings(Bounds b, int vm, List<Operation> ops, boolean observers) {
        for (int id = 1; id <= b.maxObjects(); id++) {
            for (int iova = 0; iova < b.iovaPages(); iova++) {
                for (int pages = 1; iova + pages <= b.iovaPages(); pages++) {
                    for (int host = 0; host + pages <= b.hostPages(); host++) {
                        for (Access access : ACCESSES) {
                            ops.add(new Operation.MapArea(vm, id, iova, pages, host, access));
                        }
                    }
                    ops.add(new Operation.Unmap(vm, id, iova, pages));
                    ops.add(new Operation.Invalidate(vm, id, iova, pages));
                }
                for (int gpa = 0; gpa < b.iovaPages(); gpa++) {
                    for (Access access : Access.values()) {
                        ops.add(new Operation.WriteStage1(vm, id, iova, gpa, access));
                    }
                }
            }
            ops.add(new Operation.UnmapAll(vm, id));
        }
    }

    private static void faults(ModelState s, int vm, List<Operation> ops) {
        Bounds b = s.bounds();
        for (int id = 1; id <= b.maxObjects(); id++) {
            ops.add(new Operation.ReadFaults(vm, id));
            if (s.object(vm, id).getOrNull() instanceof FaultQueue queue) {
                for (int cookie : queue.awaiting().keySet().toList().sorted()) {
                    ops.add(new Operation.Respond(vm, id, cookie, ResponseCode.SUCCESS));
                    ops.add(new Operation.Respond(vm, id, cookie, ResponseCode.INVALID));
                }
                int fresh = queue.usedCookies().max().getOrElse(0) + 1;
                ops.add(new Operation.Respond(vm, id, fresh, ResponseCode.SUCCESS));
            }
        }
    }

    private static void attachment(ModelState s, DeviceSpec device, List<Operation> ops, boolean observers,
                                   int groupRequests) {
        Bounds b = s.bounds();
        for (int pasid = Pasid.NONE; pasid <= b.pasidMax(); pasid++) {
            for (int table = 1; table <= b.maxObjects(); table++) {
                ops.add(new Operation.Attach(device.id(), pasid, table));
                ops.add(new Operation.Replace(device.id(), pasid, table));
            }
            ops.add(new Operation.Detach(device.id(), pasid));
            for (int iova = 0; iova < b.iovaPages(); iova++) {
                for (Access access : ACCESSES) {
                    for (int group = 0; group < b.groups(); group++) {
                        ops.add(new Operation.PageRequest(device.id(), pasid, iova, access, group, true));
                        int held = s.partial().get(new GroupKey(device.id(), pasid, group)).map(l -> l.size()).getOrElse(0);
                        if (held + 1 < groupRequests) {
                            ops.add(new Operation.PageRequest(device.id(), pasid, iova, access, group, false));
                        }
                    }
                    if (observers) {
                        ops.add(new Operation.Dma(device.id(), pasid, iova, access));
                    }
                }
            }
            if (observers) {
                ops.add(new Operation.QueryAttachment(device.id(), pasid));
            }
        }
        if (observers) {
            ops.add(new Operation.QueryResponses(device.id()));
        }
    }
}
