package dev.ioasid.properties;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.Sva;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Steps that build towards a rich configuration: a set with PASIDs, an IOAS with areas, a fault
 * queue, paging, nest-parent and nested HWPTs with fault queues, an SVA domain over mapped process
 * pages, stage-1 entries and attachments. Random steps alone rarely chain the six or more calls that
 * put a fault in a user queue; a share of steps taken from here does, while the random steps in
 * between (and the errors they exercise) keep the sequences varied.
 */
final class Construction {
    private final Bounds bounds;

    /**
     * Whether this sequence builds vIOMMU nesting first (iommufd): decided per sequence, so that half
     * the sequences build the configuration of a VMM with a vIOMMU and half the one without, whose
     * other objects (an SVA domain, a paging HWPT with a fault queue) the vIOMMU's would crowd out.
     */
    private boolean viommuFirst;

    Construction(Bounds bounds) {
        this.bounds = bounds;
    }

    void startSequence(boolean viommuFirst) {
        this.viommuFirst = viommuFirst;
    }

    /** A step towards a missing piece of a random VM's configuration, if anything is missing. */
    Operation next(StateIndex index, SplittableRandom random) {
        int vm = 1 + random.nextInt(bounds.vms());
        List<Function<Integer, Operation>> missing = missing(index, vm, random);
        if (missing.isEmpty()) {
            return null;
        }
        return missing.get(random.nextInt(missing.size())).apply(vm);
    }

    private List<Function<Integer, Operation>> missing(StateIndex index, int vm, SplittableRandom random) {
        List<Function<Integer, Operation>> steps = new ArrayList<>();
        List<StateIndex.Obj> objects = index.objects.stream().filter(o -> o.vm() == vm).toList();
        boolean hasSet = index.setVms.contains(vm);
        if (bounds.iommufd()) {
            // no sets to build: a PASID attach names a PASID the device can issue
        } else if (!hasSet && index.state.reserved() < bounds.capacity()) {
            steps.add(v -> new Operation.CreateSet(v, random.nextBoolean() ? 0 : 1 + random.nextInt(bounds.capacity())));
        } else if (index.pasidsOf(vm, p -> true).size() < 2
                && index.state.sets().get(vm).exists(set -> set.used() < set.quota())) {
            steps.add(v -> new Operation.AllocPasid(v, 1, random.nextBoolean() ? 3 : bounds.pasidMax()));
        }
        if (objects.size() >= bounds.maxObjects()) {
            return steps;
        }
        Ioas ioas = first(objects, Ioas.class);
        int ioasId = id(objects, ioas);
        int queue = id(objects, first(objects, FaultQueue.class));
        if (ioas == null) {
            steps.add(Operation.AllocIoas::new);
        } else if (ioas.areas().isEmpty()) {
            int pages = 1 + random.nextInt(2);
            steps.add(v -> new Operation.MapArea(v, ioasId, random.nextInt(2), pages, (bounds.hostPages() > 2 ? random.nextInt(bounds.hostPages() - 2) : 0),
                    random.nextBoolean() ? Access.READ_WRITE : Access.READ));
        }
        if (queue == 0) {
            steps.add(Operation.AllocFaultQueue::new);
        }
        DeviceSpec viommuDevice = bounds.devices().stream().filter(d -> d.vm() == vm && d.viommuCapable()).findFirst()
                .orElse(null);
        boolean onViommu = objects.stream().anyMatch(o -> o.object() instanceof HwptNested n && n.viommu() != 0);
        // Until the vIOMMU nesting stands, what it does not need waits: the object IDs are few.
        boolean buildingViommu = viommuFirst && bounds.iommufd() && viommuDevice != null && !onViommu;
        boolean pagingWithQueue = objects.stream().anyMatch(o -> o.object() instanceof HwptPaging p && p.fault() != 0);
        if (ioasId != 0 && queue != 0 && !pagingWithQueue && !buildingViommu) {
            steps.add(v -> new Operation.AllocHwptPaging(v, ioasId, false, random.nextBoolean(), queue));
        }
        int parent = objects.stream().filter(o -> o.object() instanceof HwptPaging p && p.nestParent())
                .mapToInt(StateIndex.Obj::id).findFirst().orElse(0);
        if (ioasId != 0 && parent == 0) {
            // A VMM that migrates a guest with a vIOMMU tracks the nest parent's dirty pages (Intel's nesting).
            boolean dirty = viommuFirst && bounds.iommufd();
            steps.add(v -> new Operation.AllocHwptPaging(v, ioasId, true, random.nextBoolean(), 0, dirty));
        }
        if (viommuFirst && bounds.iommufd()) {
            objects.stream().filter(o -> o.object() instanceof HwptPaging p && p.dirty().trackable() && !p.dirty().tracking())
                    .findFirst().ifPresent(o -> steps.add(v -> new Operation.SetDirtyTracking(v, o.id(), true)));
        }
        HwptNested nested = first(objects, HwptNested.class);
        if (viommuFirst && bounds.iommufd() && viommuDevice != null && (!onViommu || random.nextInt(4) == 0)) {
            // A VMM that can nest through a vIOMMU does (as QEMU does for SMMUv3): build that first.
            viommuSteps(steps, objects, viommuDevice, parent, queue, random);
        } else if (parent != 0 && nested == null) {
            steps.add(v -> new Operation.AllocHwptNested(v, parent, random.nextBoolean(), random.nextInt(3) == 0 ? 0 : queue));
        }
        if (nested != null && nested.stage1().isEmpty()) {
            int nestedId = id(objects, nested);
            steps.add(v -> new Operation.WriteStage1(v, nestedId, random.nextInt(2), random.nextInt(3),
                    random.nextBoolean() ? Access.READ_WRITE : Access.READ));
        }
        Sva sva = first(objects, Sva.class);
        if (sva == null && bounds.mms() > 0 && !buildingViommu) {
            steps.add(v -> new Operation.AllocSva(v, 1 + random.nextInt(bounds.mms())));
        } else if (sva != null && index.state.mm().keySet().count(k -> k.mm() == sva.mm()) == 0) {
            steps.add(v -> new Operation.MmMap(sva.mm(), random.nextInt(2), random.nextInt(bounds.hostPages()),
                    random.nextBoolean() ? Access.READ_WRITE : Access.READ));
        }
        for (DeviceSpec device : bounds.devices()) {
            if (device.vm() == vm && index.attached.stream().noneMatch(a -> a.device() == device.id())) {
                Operation attach = attachFor(index, objects, device, random);
                if (attach != null) {
                    steps.add(v -> attach);
                }
            }
        }
        Operation toQueue = attachToQueue(index, objects, vm, random);
        if (toQueue != null) {
            steps.add(v -> toQueue);
        }
        return steps;
    }

    /**
     * The nesting a VMM sets up for a vIOMMU (iommufd): a vIOMMU on the nest parent, a vDEVICE giving
     * the device its virtual ID, and a nested HWPT allocated on the vIOMMU.
     */
    private void viommuSteps(List<Function<Integer, Operation>> steps, List<StateIndex.Obj> objects, DeviceSpec device,
                             int parent, int queue, SplittableRandom random) {
        int viommu = objects.stream().filter(o -> o.object() instanceof ModelObject.Viommu)
                .mapToInt(StateIndex.Obj::id).findFirst().orElse(0);
        if (viommu == 0) {
            if (parent != 0) {
                steps.add(v -> new Operation.AllocViommu(device.id(), parent));
            }
            return;
        }
        if (objects.stream().noneMatch(o -> o.object() instanceof ModelObject.Vdevice)) {
            steps.add(v -> new Operation.AllocVdevice(device.id(), viommu, random.nextInt(3)));
        }
        if (objects.stream().noneMatch(o -> o.object() instanceof HwptNested n && n.viommu() == viommu)) {
            steps.add(v -> new Operation.AllocHwptNested(v, viommu, random.nextBoolean(), random.nextInt(3) == 0 ? 0 : queue));
        }
    }

    /**
     * A script of the cache scenario random steps rarely chain (XLT-4, XLT-5), to run as it is: a DMA
     * through a stage-1 entry (the IOTLB caches it), the guest rewriting that entry, an invalidate
     * whose range covers it but often starts below it (so an implementation that takes the length
     * for the end, or flushes only the range's first page, is caught), and a DMA at the entry again.
     * Empty when nothing nested with stage-1 entries is attached.
     */
    List<Operation> staleTranslation(StateIndex index, SplittableRandom random) {
        List<Operation> script = new ArrayList<>();
        for (var point : index.attached) {
            int vm = bounds.device(point.device()).orElseThrow().vm();
            int tableId = index.state.attached(point.device(), point.pasid()).get();
            if (!(index.state.object(vm, tableId).getOrNull() instanceof HwptNested nested) || nested.stage1().isEmpty()) {
                continue;
            }
            List<Integer> entries = nested.viommu() == 0 ? nested.stage1().keySet().toJavaList()
                    : translating(index, vm, nested);
            if (entries.isEmpty()) {
                continue;
            }
            int page = entries.get(random.nextInt(entries.size()));
            Access access = random.nextBoolean() ? Access.READ : Access.WRITE;
            if (nested.viommu() != 0 && !nested.entry(page).access().permits(access)) {
                access = Access.READ;
            }
            int start = Math.max(0, page - random.nextInt(3));
            script.add(new Operation.Dma(point.device(), point.pasid(), page, access));
            script.add(new Operation.WriteStage1(vm, tableId, page, random.nextInt(bounds.iovaPages()),
                    random.nextInt(4) == 0 ? Access.NONE : random.nextBoolean() ? Access.READ_WRITE : Access.READ));
            int pages = page - start + 1 + random.nextInt(2);
            int virtId = nested.viommu() == 0 ? -1 : virtualId(index, vm, nested.viommu(), point.device());
            // On a vIOMMU the guest invalidates through it, naming the device by its virtual ID.
            script.add(virtId >= 0 && random.nextInt(4) != 0
                    ? new Operation.InvalidateViommu(vm, nested.viommu(), virtId, start, pages)
                    : new Operation.Invalidate(vm, tableId, start, pages));
            script.add(new Operation.Dma(point.device(), point.pasid(), page, access));
            return script;
        }
        return script;
    }

    /**
     * A script of the migration loop random steps rarely chain (DIRTY-4, DIRTY-5): a DMA write through
     * a point whose paging HWPT tracks dirty pages, to a page it maps writable; a clearing read of that
     * page or tracking enabled again; and a read, which must find the bit cleared (an implementation
     * whose read or enable does not clear, or clears another page, is caught at once). Empty when no
     * such point exists.
     */
    List<Operation> dirtyRead(StateIndex index, SplittableRandom random) {
        for (var point : index.attached) {
            int vm = bounds.device(point.device()).orElseThrow().vm();
            int tableId = index.state.attached(point.device(), point.pasid()).get();
            if (!(index.state.object(vm, tableId).getOrNull() instanceof HwptPaging paging) || !paging.dirty().tracking()) {
                continue;
            }
            List<Integer> writable = paging.pages().filter(e -> e._2.access().permits(Access.WRITE)).keySet().toJavaList();
            if (writable.isEmpty()) {
                continue;
            }
            int page = writable.get(random.nextInt(writable.size()));
            // Between the write and the last read, what must clear the bit: a clearing read, or
            // enabling tracking again (which clears every bit, DIRTY-3).
            Operation clearing = random.nextBoolean() ? new Operation.GetDirtyBitmap(vm, tableId, page, 1, false)
                    : new Operation.SetDirtyTracking(vm, tableId, true);
            return List.of(new Operation.Dma(point.device(), point.pasid(), page, Access.WRITE), clearing,
                    new Operation.GetDirtyBitmap(vm, tableId, page, 1, random.nextBoolean()));
        }
        return List.of();
    }

    /**
     * The stage-1 entries of {@code nested} that translate through both stages, so that a DMA fills
     * the IOTLB (a walk that faults caches nothing): all entries if none does.
     */
    private static List<Integer> translating(StateIndex index, int vm, HwptNested nested) {
        List<Integer> all = nested.stage1().keySet().toJavaList();
        if (!(index.state.object(vm, nested.parent()).getOrNull() instanceof HwptPaging parent)) {
            return all;
        }
        List<Integer> walking = all.stream().filter(iova -> nested.entry(iova).access() != Access.NONE
                && parent.pages().get(nested.entry(iova).gpa()).isDefined()).toList();
        return walking.isEmpty() ? all : walking;
    }

    /** The virtual ID {@code device} has in vIOMMU {@code viommu}, or -1. */
    private static int virtualId(StateIndex index, int vm, int viommu, int device) {
        return index.objects.stream().filter(o -> o.vm() == vm && o.object() instanceof ModelObject.Vdevice d
                        && d.viommu() == viommu && d.device() == device)
                .mapToInt(o -> ((ModelObject.Vdevice) o.object()).virtId()).findFirst().orElse(-1);
    }

    /**
     * When the VM has an HWPT with a fault queue, or a nested HWPT, that nothing is attached to, a
     * PRI device's RID is moved onto it (attach, or replace if attached), so that page requests can
     * reach user space and DMA goes through two stages.
     */
    private Operation attachToQueue(StateIndex index, List<StateIndex.Obj> objects, int vm, SplittableRandom random) {
        List<Integer> queued = new ArrayList<>();
        boolean nestedOnly = random.nextBoolean();
        for (StateIndex.Obj o : objects) {
            boolean wanted = nestedOnly ? o.object() instanceof HwptNested
                    : o.object().faultQueue() != 0;
            if (wanted) {
                queued.add(o.id());
            }
        }
        boolean used = index.attached.stream().anyMatch(a -> bounds.device(a.device()).orElseThrow().vm() == vm
                && queued.contains(index.state.attached(a.device(), a.pasid()).get()));
        List<DeviceSpec> pri = bounds.devices().stream().filter(d -> d.vm() == vm && d.pri()).toList();
        if (queued.isEmpty() || used || pri.isEmpty()) {
            return null;
        }
        DeviceSpec device = pri.get(random.nextInt(pri.size()));
        int table = queued.get(random.nextInt(queued.size()));
        return index.state.attached(device.id(), Pasid.NONE).isDefined()
                ? new Operation.Replace(device.id(), Pasid.NONE, table) : new Operation.Attach(device.id(), Pasid.NONE, table);
    }

    /** An attach of the device to a table that fits: the RID to any HWPT or IOAS, a PASID to SVA or ALLOC_PASID. */
    private Operation attachFor(StateIndex index, List<StateIndex.Obj> objects, DeviceSpec device, SplittableRandom random) {
        List<Integer> pasids = index.pasidsOf(device.vm(), device::canIssue);
        boolean onPasid = !pasids.isEmpty() && random.nextBoolean();
        List<Integer> tables = new ArrayList<>();
        for (StateIndex.Obj o : objects) {
            ModelObject t = o.object();
            boolean fits = onPasid ? t instanceof Sva || (t instanceof HwptPaging p && p.allocPasid())
                    || (t instanceof HwptNested n && n.allocPasid())
                    : t instanceof Ioas || t instanceof HwptPaging || t instanceof HwptNested;
            if (fits) {
                tables.add(o.id());
            }
        }
        if (tables.isEmpty()) {
            return null;
        }
        int pasid = onPasid ? pasids.get(random.nextInt(pasids.size())) : Pasid.NONE;
        return new Operation.Attach(device.id(), pasid, tables.get(random.nextInt(tables.size())));
    }

    private static <T> T first(List<StateIndex.Obj> objects, Class<T> kind) {
        return objects.stream().map(StateIndex.Obj::object).filter(kind::isInstance).map(kind::cast).findFirst()
                .orElse(null);
    }

    private static int id(List<StateIndex.Obj> objects, Object object) {
        return objects.stream().filter(o -> o.object() == object).mapToInt(StateIndex.Obj::id).findFirst().orElse(0);
    }
}
