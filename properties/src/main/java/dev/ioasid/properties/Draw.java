package dev.ioasid.properties;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Area;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.ObjectKind;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.AttachPoint;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.SplittableRandom;

/**
 * The argument draws of one operation: mostly things that exist in the current state (through the
 * {@link StateIndex}), sometimes anything around the bounds, so that errors are exercised too.
 */
final class Draw {
    /** How likely an argument names something that exists, when something does. */
    static final double EXISTING = 0.85;

    private final Bounds bounds;
    private final StateIndex index;
    private final java.util.Deque<Integer> recentIovas;
    private final ModelState state;
    private final SplittableRandom random;

    Draw(Bounds bounds, StateIndex index, java.util.Deque<Integer> recentIovas, SplittableRandom random) {
        this.bounds = bounds;
        this.index = index;
        this.state = index.state;
        this.recentIovas = recentIovas;
        this.random = random;
    }

    boolean flip(double p) {
        return random.nextDouble() < p;
    }

    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    int below(int n) {
        return random.nextInt(n);
    }

    /** A VM; now and then one outside the bounds (GEN-1). */
    int vm() {
        return flip(0.01) ? bounds.vms() + 1 : between(1, bounds.vms());
    }

    /** A VM that has an object of this kind (any kind if null), when one does and mostly. */
    int vmWith(ObjectKind kind) {
        java.util.List<Integer> vms = new java.util.ArrayList<>();
        for (StateIndex.Obj o : index.objects) {
            if ((kind == null || o.kind() == kind) && !vms.contains(o.vm())) {
                vms.add(o.vm());
            }
        }
        return !vms.isEmpty() && flip(EXISTING) ? pick(vms) : vm();
    }

    /** A VM that has a set, when one does and mostly. */
    int vmWithSet() {
        return !index.setVms.isEmpty() && flip(EXISTING) ? pick(index.setVms) : vm();
    }

    Access access() {
        return List.of(Access.READ, Access.WRITE, Access.READ_WRITE).get(below(3));
    }

    /** An IOVA page: often one the sequence used lately, else mostly a low one, where maps and entries are. */
    int iova() {
        if (!recentIovas.isEmpty() && flip(0.3)) {
            return pick(new java.util.ArrayList<>(recentIovas));
        }
        return flip(0.6) ? below(Math.min(4, bounds.iovaPages())) : below(bounds.iovaPages());
    }

    /** An IOVA page for DMA or a page request at a point: mostly one its table translates. */
    int iovaAt(AttachPoint at) {
        java.util.List<Integer> mapped = new java.util.ArrayList<>();
        Option<Integer> table = state.attached(at.device(), at.pasid());
        ModelObject t = table.flatMap(id -> state.object(state.vmOf(at.device()), id)).getOrNull();
        if (t instanceof ModelObject.Ioas ioas) {
            ioas.areas().values().forEach(a -> { for (int i = 0; i < a.pages(); i++) mapped.add(a.iova() + i); });
        } else if (t instanceof ModelObject.HwptPaging paging) {
            mapped.addAll(paging.pages().keySet().toJavaList());
        } else if (t instanceof ModelObject.HwptNested nested) {
            nested.stage1().keySet().addAll(nested.stale().keySet()).toList().sorted().forEach(mapped::add);
        } else if (t instanceof ModelObject.Sva sva) {
            state.mm().keySet().filter(k -> k.mm() == sva.mm()).map(k -> k.page()).toList().sorted()
                    .forEach(mapped::add);
        }
        return !mapped.isEmpty() && flip(0.6) ? pick(mapped) : iova();
    }

    /** Half of the time a point with a nested HWPT attached, where DMA walks two stages and may see stale entries. */
    AttachPoint dmaPoint() {
        java.util.List<AttachPoint> nested = new java.util.ArrayList<>();
        for (AttachPoint at : index.attached) {
            if (state.object(state.vmOf(at.device()), state.attached(at.device(), at.pasid()).get())
                    .getOrNull() instanceof ModelObject.HwptNested) {
                nested.add(at);
            }
        }
        return !nested.isEmpty() && flip(0.5) ? pick(nested) : attachedPoint();
    }

    /** Mostly an attached point whose table has a fault queue, where page requests reach user space. */
    AttachPoint faultingPoint() {
        java.util.List<AttachPoint> withQueue = new java.util.ArrayList<>();
        for (AttachPoint at : index.attached) {
            ModelObject t = state.object(state.vmOf(at.device()), state.attached(at.device(), at.pasid()).get())
                    .getOrNull();
            if (t != null && t.faultQueue() != 0) {
                withQueue.add(at);
            }
        }
        return !withQueue.isEmpty() && flip(0.6) ? pick(withQueue) : attachedPoint();
    }

    /** A guest-physical page: mostly one some IOAS of the VM maps, so that stage 2 translates. */
    int gpa(int vm) {
        java.util.List<Integer> mapped = new java.util.ArrayList<>();
        for (StateIndex.Obj o : index.objects) {
            if (o.vm() == vm && o.object() instanceof ModelObject.Ioas ioas) {
                ioas.areas().values().forEach(a -> { for (int i = 0; i < a.pages(); i++) mapped.add(a.iova() + i); });
            }
        }
        return !mapped.isEmpty() && flip(0.6) ? pick(mapped) : iova();
    }

    int group() {
        return below(bounds.groups());
    }

    /** A stage-1 write, half of the time over an entry that exists (so that a cached one goes stale). */
    Operation writeStage1() {
        int vm = vmWith(ObjectKind.HWPT_NESTED);
        int hwpt = object(vm, ObjectKind.HWPT_NESTED);
        java.util.List<Integer> written = new java.util.ArrayList<>();
        state.object(vm, hwpt).filter(o -> o instanceof ModelObject.HwptNested)
                .forEach(o -> ((ModelObject.HwptNested) o).stage1().keySet().toList().sorted().forEach(written::add));
        int iova = !written.isEmpty() && flip(0.5) ? pick(written) : iova();
        return new Operation.WriteStage1(vm, hwpt, iova, gpa(vm), flip(0.15) ? Access.NONE : access());
    }

    /** Mostly a page the process maps. */
    Operation mmUnmap() {
        java.util.List<ModelState.MmPage> mapped = new java.util.ArrayList<>(state.mm().keySet().toJavaList());
        mapped.sort(java.util.Comparator.comparingInt(ModelState.MmPage::mm).thenComparingInt(ModelState.MmPage::page));
        if (!mapped.isEmpty() && flip(EXISTING)) {
            ModelState.MmPage page = pick(mapped);
            return new Operation.MmUnmap(page.mm(), page.page());
        }
        return new Operation.MmUnmap(mm(), below(bounds.mmPages()));
    }

    /** Mostly a range that covers stage-1 entries written since their last invalidate. */
    Operation invalidate() {
        int vm = vmWith(ObjectKind.HWPT_NESTED);
        int hwpt = object(vm, ObjectKind.HWPT_NESTED);
        java.util.List<Integer> stale = new java.util.ArrayList<>();
        state.object(vm, hwpt).filter(o -> o instanceof ModelObject.HwptNested)
                .forEach(o -> ((ModelObject.HwptNested) o).stale().keySet().toList().sorted().forEach(stale::add));
        if (!stale.isEmpty() && flip(0.7)) {
            return new Operation.Invalidate(vm, hwpt, pick(stale), between(1, 2));
        }
        return flip(0.5) ? new Operation.Invalidate(vm, hwpt, 0, bounds.iovaPages())
                : new Operation.Invalidate(vm, hwpt, below(bounds.iovaPages()), between(flip(0.05) ? 0 : 1, 3));
    }

    /** Mostly a queue that has groups to read. */
    Operation readFaults() {
        java.util.List<StateIndex.Obj> delivered = new java.util.ArrayList<>();
        for (StateIndex.Obj o : index.objects) {
            if (o.object() instanceof ModelObject.FaultQueue q && !q.delivered().isEmpty()) {
                delivered.add(o);
            }
        }
        if (!delivered.isEmpty() && flip(EXISTING)) {
            StateIndex.Obj chosen = pick(delivered);
            return new Operation.ReadFaults(chosen.vm(), chosen.id());
        }
        int vm = vmWith(ObjectKind.FAULT_QUEUE);
        return new Operation.ReadFaults(vm, object(vm, ObjectKind.FAULT_QUEUE));
    }

    /** Mostly a cookie a queue awaits a response for, with SUCCESS or INVALID. */
    Operation respond() {
        java.util.List<StateIndex.Obj> awaiting = new java.util.ArrayList<>();
        for (StateIndex.Obj o : index.objects) {
            if (o.object() instanceof ModelObject.FaultQueue q && !q.awaiting().isEmpty()) {
                awaiting.add(o);
            }
        }
        StateIndex.Obj chosen = !awaiting.isEmpty() && flip(EXISTING) ? pick(awaiting) : null;
        int vm = chosen != null ? chosen.vm() : vmWith(ObjectKind.FAULT_QUEUE);
        int queue = chosen != null ? chosen.id() : object(vm, ObjectKind.FAULT_QUEUE);
        java.util.List<Integer> cookies = new java.util.ArrayList<>();
        state.object(vm, queue).filter(o -> o instanceof ModelObject.FaultQueue)
                .forEach(o -> ((ModelObject.FaultQueue) o).awaiting().keySet().toList().sorted().forEach(cookies::add));
        int cookie = !cookies.isEmpty() && flip(EXISTING) ? pick(cookies) : between(0, 4);
        ResponseCode code = flip(0.05) ? ResponseCode.FAILURE : flip(0.6) ? ResponseCode.SUCCESS : ResponseCode.INVALID;
        return new Operation.Respond(vm, queue, cookie, code);
    }

    int mm() {
        return flip(0.05) ? bounds.mms() + 1 : between(1, Math.max(1, bounds.mms()));
    }

    int quota() {
        if (flip(0.03)) {
            return -1;
        }
        return flip(0.3) ? 0 : between(1, bounds.capacity() + 1);
    }

    Operation allocPasid() {
        int vm = vmWithSet();
        if (flip(0.08)) {
            return new Operation.AllocPasid(vm, between(0, bounds.pasidMax() + 1), between(0, bounds.pasidMax() + 1));
        }
        int min = flip(0.5) ? 1 : between(1, bounds.pasidMax());
        int max = flip(0.5) ? bounds.pasidMax() : between(min, bounds.pasidMax());
        return new Operation.AllocPasid(vm, min, max);
    }

    /** A PASID: mostly one some set holds (mostly this VM's), else any value around the range. */
    int pasid(int vm) {
        java.util.List<Integer> own = index.pasidsOf(vm, p -> true);
        if (!own.isEmpty() && flip(EXISTING)) {
            return pick(own);
        }
        if (!index.pasids.isEmpty() && flip(0.5)) {
            return pick(index.pasids).pasid();
        }
        return between(0, bounds.pasidMax() + 1);
    }

    /** An object ID of the VM: mostly one of the kind asked for (any kind if null), else any ID. */
    int object(int vm, ObjectKind kind) {
        java.util.List<Integer> ofVm = new java.util.ArrayList<>();
        for (StateIndex.Obj o : index.objects) {
            if (o.vm() == vm && (kind == null || o.kind() == kind || flip(0.15))) {
                ofVm.add(o.id());
            }
        }
        if (!ofVm.isEmpty() && flip(EXISTING)) {
            return pick(ofVm);
        }
        return between(0, bounds.maxObjects() + 1);
    }

    /** A parent for nesting: mostly a NEST_PARENT paging HWPT of the VM, when there is one. */
    int nestParent(int vm) {
        java.util.List<Integer> parents = new java.util.ArrayList<>();
        for (StateIndex.Obj o : index.objects) {
            if (o.vm() == vm && o.object() instanceof ModelObject.HwptPaging p && p.nestParent()) {
                parents.add(o.id());
            }
        }
        return !parents.isEmpty() && flip(0.7) ? pick(parents) : object(vm, ObjectKind.HWPT_PAGING);
    }

    /** Mostly a point where something is attached, else any point. */
    AttachPoint attachedPoint() {
        if (!index.attached.isEmpty() && flip(0.7)) {
            return pick(index.attached);
        }
        DeviceSpec dev = device();
        return new AttachPoint(dev.id(), attachPasid(dev));
    }

    int faultArg(int vm) {
        return flip(0.6) ? 0 : object(vm, ObjectKind.FAULT_QUEUE);
    }

    Operation map() {
        int vm = vmWith(ObjectKind.IOAS);
        // Now and then a page count whose end passes 2^31: the uAPI's lengths are 64-bit (IOAS-1).
        int pages = flip(0.03) ? 0 : flip(0.02) ? Integer.MAX_VALUE - below(4) : between(1, 3);
        int iova = below(bounds.iovaPages());
        int host = below(bounds.hostPages());
        Access access = flip(0.04) ? Access.NONE : access();
        return new Operation.MapArea(vm, object(vm, ObjectKind.IOAS), iova, pages, host, access);
    }

    /** Unmaps an existing area exactly half of the time, else an arbitrary range. */
    Operation unmap() {
        int vm = vmWith(ObjectKind.IOAS);
        int ioas = object(vm, ObjectKind.IOAS);
        List<Area> areas = state.object(vm, ioas).filter(o -> o instanceof ModelObject.Ioas)
                .map(o -> ((ModelObject.Ioas) o).areas().values().toList()).getOrElse(List.empty());
        if (!areas.isEmpty() && flip(0.5)) {
            Area area = pick(areas);
            return new Operation.Unmap(vm, ioas, area.iova(), area.pages());
        }
        // An unmap to the end of the address space now and then: iova + pages past 2^31.
        int pages = flip(0.03) ? Integer.MAX_VALUE - below(4) : between(flip(0.03) ? 0 : 1, 4);
        return new Operation.Unmap(vm, ioas, below(bounds.iovaPages()), pages);
    }

    /**
     * An IOAS copy: mostly of a mapped range of an IOAS (a whole area, or part of one) to a free
     * IOVA of the same IOAS or another, sometimes asking WRITE of read-only pages.
     */
    Operation copyArea() {
        int vm = vmWith(ObjectKind.IOAS);
        int src = object(vm, ObjectKind.IOAS);
        int dst = flip(0.5) ? src : object(vm, ObjectKind.IOAS);
        java.util.List<dev.ioasid.contract.Area> areas = new java.util.ArrayList<>();
        state.object(vm, src).filter(o -> o instanceof ModelObject.Ioas)
                .forEach(o -> areas.addAll(((ModelObject.Ioas) o).areaList().toJavaList()));
        int srcIova;
        int pages;
        if (!areas.isEmpty() && flip(0.85)) {
            dev.ioasid.contract.Area area = pick(areas);
            srcIova = area.iova() + (flip(0.7) ? 0 : below(area.pages()));
            int rest = (int) (area.end() - srcIova);
            pages = flip(0.7) ? rest : between(1, rest);
        } else {
            srcIova = below(bounds.iovaPages());
            pages = between(flip(0.05) ? 0 : 1, 2);
        }
        return new Operation.CopyArea(vm, dst, below(bounds.iovaPages()), src, srcIova, pages,
                flip(0.02) ? Access.NONE : access());
    }

    /** A map at an IOVA the kernel chooses: one or a few pages, host pages mostly as a map draws them. */
    Operation mapAuto() {
        int vm = vmWith(ObjectKind.IOAS);
        int pages = between(flip(0.03) ? 0 : 1, 3);
        return new Operation.MapAreaAuto(vm, object(vm, ObjectKind.IOAS), pages, below(bounds.hostPages()),
                flip(0.02) ? Access.NONE : access());
    }

    /** An allowed IOVA range: mostly the upper part of the space, sometimes none (cleared). */
    Operation allowIovas() {
        int vm = vmWith(ObjectKind.IOAS);
        int ioas = object(vm, ObjectKind.IOAS);
        if (flip(0.25)) {
            return new Operation.AllowIovas(vm, ioas, 0, 0);
        }
        int iova = below(bounds.iovaPages());
        return new Operation.AllowIovas(vm, ioas, iova, between(flip(0.03) ? -1 : 1, Math.max(1, bounds.iovaPages() - iova)));
    }

    /** A paging HWPT with DIRTY_TRACKING, mostly plain, sometimes a nest parent or with ALLOC_PASID. */
    Operation allocDirtyHwpt() {
        int vm = vmWith(ObjectKind.IOAS);
        return new Operation.AllocHwptPaging(vm, object(vm, ObjectKind.IOAS), flip(0.3), flip(0.2), 0, true);
    }

    /** The paging HWPTs of the VM allocated with DIRTY_TRACKING. */
    private java.util.List<Integer> trackable(int vm) {
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        for (StateIndex.Obj o : index.objects) {
            if (o.vm() == vm && o.object() instanceof ModelObject.HwptPaging p && p.dirty().trackable()) {
                ids.add(o.id());
            }
        }
        return ids;
    }

    private int dirtyHwpt(int vm) {
        java.util.List<Integer> ids = trackable(vm);
        return !ids.isEmpty() && flip(0.9) ? pick(ids) : object(vm, ObjectKind.HWPT_PAGING);
    }

    Operation setDirtyTracking() {
        int vm = vmWith(ObjectKind.HWPT_PAGING);
        return new Operation.SetDirtyTracking(vm, dirtyHwpt(vm), flip(0.75));
    }

    /** A dirty bitmap read: mostly of the whole IOVA range or of one page, sometimes without clearing. */
    Operation getDirtyBitmap() {
        int vm = vmWith(ObjectKind.HWPT_PAGING);
        int hwpt = dirtyHwpt(vm);
        if (flip(0.5)) {
            return new Operation.GetDirtyBitmap(vm, hwpt, 0, bounds.iovaPages(), flip(0.3));
        }
        return new Operation.GetDirtyBitmap(vm, hwpt, iova(), between(flip(0.03) ? 0 : 1, 2), flip(0.3));
    }

    /** A device for a vIOMMU call: mostly one whose IOMMU offers vIOMMUs (VIOMMU-1), sometimes any. */
    DeviceSpec viommuDevice() {
        java.util.List<DeviceSpec> capable = new java.util.ArrayList<>();
        for (DeviceSpec spec : bounds.devices()) {
            if (spec.viommuCapable()) {
                capable.add(spec);
            }
        }
        return !capable.isEmpty() && flip(0.85) ? pick(capable) : device();
    }

    Operation allocViommu() {
        DeviceSpec dev = viommuDevice();
        return new Operation.AllocViommu(dev.id(), nestParent(dev.vm()));
    }

    /** A virtual ID: mostly a small one, so that collisions (EEXIST) and reuse after destroy happen. */
    int virtId() {
        return flip(0.02) ? -1 : below(3);
    }

    Operation allocVdevice() {
        DeviceSpec dev = viommuDevice();
        return new Operation.AllocVdevice(dev.id(), object(dev.vm(), ObjectKind.VIOMMU), virtId());
    }

    Operation allocNestedOnViommu() {
        int vm = vmWith(ObjectKind.VIOMMU);
        return new Operation.AllocHwptNested(vm, object(vm, ObjectKind.VIOMMU), flip(0.6), faultArg(vm));
    }

    /**
     * A vIOMMU invalidation: mostly naming a vDEVICE's virtual ID and a stale page of a nested HWPT
     * on that vIOMMU, as a guest driver does after it rewrote stage 1.
     */
    Operation invalidateViommu() {
        int vm = vmWith(ObjectKind.VIOMMU);
        int viommu = object(vm, ObjectKind.VIOMMU);
        java.util.List<Integer> virtIds = new java.util.ArrayList<>();
        java.util.List<Integer> stale = new java.util.ArrayList<>();
        for (StateIndex.Obj o : index.objects) {
            if (o.vm() == vm && o.object() instanceof ModelObject.Vdevice v && v.viommu() == viommu) {
                virtIds.add(v.virtId());
            }
            if (o.vm() == vm && o.object() instanceof ModelObject.HwptNested n && n.viommu() == viommu) {
                n.stale().keySet().toList().sorted().forEach(stale::add);
            }
        }
        int virt = !virtIds.isEmpty() && flip(0.9) ? pick(virtIds) : virtId();
        if (!stale.isEmpty() && flip(0.7)) {
            return new Operation.InvalidateViommu(vm, viommu, virt, pick(stale), between(1, 2));
        }
        return flip(0.5) ? new Operation.InvalidateViommu(vm, viommu, virt, 0, bounds.iovaPages())
                : new Operation.InvalidateViommu(vm, viommu, virt, below(bounds.iovaPages()),
                        between(flip(0.05) ? 0 : 1, 3));
    }

    DeviceSpec device() {
        return bounds.devices().get(below(bounds.devices().size()));
    }

    /** The RID or a PASID, mostly one held by the device's VM set that the device can issue. */
    int attachPasid(DeviceSpec device) {
        if (flip(0.35)) {
            return Pasid.NONE;
        }
        java.util.List<Integer> issuable = index.pasidsOf(device.vm(), device::canIssue);
        return !issuable.isEmpty() && flip(EXISTING) ? pick(issuable) : pasid(device.vm());
    }

    /**
     * Mostly an attach that can work: a device whose VM has tables, the RID or a PASID of its
     * set it can issue, and a table that fits (an SVA domain or an ALLOC_PASID HWPT on a PASID).
     */
    Operation attach() {
        java.util.List<DeviceSpec> withTables = new java.util.ArrayList<>();
        for (DeviceSpec dev : bounds.devices()) {
            if (index.objects.stream().anyMatch(o -> o.vm() == dev.vm() && o.kind() != ObjectKind.FAULT_QUEUE)) {
                withTables.add(dev);
            }
        }
        DeviceSpec dev = !withTables.isEmpty() && flip(EXISTING) ? pick(withTables) : device();
        int pasid = attachPasid(dev);
        java.util.List<Integer> fitting = new java.util.ArrayList<>();
        for (StateIndex.Obj o : index.objects) {
            if (o.vm() == dev.vm() && fits(o.object(), pasid)) {
                fitting.add(o.id());
            }
        }
        int table = !fitting.isEmpty() && flip(EXISTING) ? pick(fitting) : table(dev);
        return new Operation.Attach(dev.id(), pasid, table);
    }

    private boolean fits(ModelObject table, int pasid) {
        if (pasid == Pasid.NONE) {
            return table instanceof ModelObject.Ioas || table instanceof ModelObject.HwptPaging
                    || table instanceof ModelObject.HwptNested;
        }
        return table instanceof ModelObject.Sva || (table instanceof ModelObject.HwptPaging p && p.allocPasid())
                || (table instanceof ModelObject.HwptNested n && n.allocPasid());
    }

    /** A table of the device's VM, mostly an HWPT or SVA domain. */
    int table(DeviceSpec device) {
        java.util.List<Integer> tables = new java.util.ArrayList<>();
        for (StateIndex.Obj o : index.objects) {
            if (o.vm() == device.vm() && (o.kind() != ObjectKind.FAULT_QUEUE || flip(0.1))) {
                tables.add(o.id());
            }
        }
        if (!tables.isEmpty() && flip(EXISTING)) {
            return pick(tables);
        }
        return between(0, bounds.maxObjects() + 1);
    }

    private <T> T pick(List<T> from) {
        return from.get(below(from.size()));
    }

    private <T> T pick(java.util.List<T> from) {
        return from.get(below(from.size()));
    }
}
