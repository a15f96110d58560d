package dev.ioasid.properties;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Area;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.ObjectKind;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.AttachPoint;
import io.vavr.collection.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Draws the next operation from the bounds, looking at the current model state so that most
 * arguments name things that exist (a PASID of the right set, an IOAS for map) and most steps do
 * something; the rest are drawn from the whole range, a little past it, so that errors are
 * exercised too. Deterministic for a given random source.
 */
public final class Generator {
    /** How likely an argument names something that exists, when something does. */
    private static final double EXISTING = 0.85;

    private final Bounds bounds;
    private final List<Choice> choices;
    /** What the draws look up in the current state, rebuilt only when the state changes. */
    private StateIndex index;

    private record Choice(int weight, Function<Draw, Operation> make) {
    }

    public Generator(Bounds bounds) {
        this.bounds = bounds;
        this.choices = List.of(
                new Choice(4, d -> new Operation.CreateSet(d.vm(), d.quota())),
                new Choice(2, d -> new Operation.FreeSet(d.vm())),
                new Choice(2, d -> new Operation.QuerySet(d.vm())),
                new Choice(8, d -> d.allocPasid()),
                new Choice(4, d -> { int vm = d.vmWithSet(); return new Operation.FreePasid(vm, d.pasid(vm)); }),
                new Choice(3, d -> { int vm = d.vmWithSet(); return new Operation.QueryPasid(vm, d.pasid(vm)); }),
                new Choice(5, d -> new Operation.AllocIoas(d.vm())),
                new Choice(5, d -> { int vm = d.vmWith(ObjectKind.IOAS); return new Operation.AllocHwptPaging(vm,
                        d.object(vm, ObjectKind.IOAS), d.flip(0.4), d.flip(0.6), d.faultArg(vm)); }),
                new Choice(3, d -> { int vm = d.vmWith(ObjectKind.HWPT_PAGING); return new Operation.AllocHwptNested(vm,
                        d.nestParent(vm), d.flip(0.6), d.faultArg(vm)); }),
                new Choice(2, d -> new Operation.AllocFaultQueue(d.vm())),
                new Choice(2, d -> new Operation.AllocSva(d.vm(), d.mm())),
                new Choice(3, d -> { int vm = d.vmWith(null); return new Operation.Destroy(vm, d.object(vm, null)); }),
                new Choice(3, d -> { int vm = d.vmWith(null); return new Operation.QueryObject(vm, d.object(vm, null)); }),
                new Choice(7, d -> d.map()),
                new Choice(4, d -> d.unmap()),
                new Choice(1, d -> { int vm = d.vmWith(ObjectKind.IOAS); return new Operation.UnmapAll(vm, d.object(vm, ObjectKind.IOAS)); }),
                new Choice(2, d -> { int vm = d.vmWith(ObjectKind.IOAS); return new Operation.QueryAreas(vm, d.object(vm, ObjectKind.IOAS)); }),
                new Choice(3, d -> { int vm = d.vmWith(ObjectKind.HWPT_PAGING); return new Operation.QueryPages(vm, d.object(vm, ObjectKind.HWPT_PAGING)); }),
                new Choice(2, d -> { int vm = d.vmWith(ObjectKind.HWPT_NESTED); return new Operation.Invalidate(vm, d.object(vm, ObjectKind.HWPT_NESTED),
                        d.below(bounds.iovaPages()), d.between(0, 3)); }),
                new Choice(9, d -> { DeviceSpec dev = d.device(); return new Operation.Attach(dev.id(), d.attachPasid(dev),
                        d.table(dev)); }),
                new Choice(4, d -> { AttachPoint at = d.attachedPoint(); return new Operation.Replace(at.device(), at.pasid(),
                        d.table(bounds.device(at.device()).orElseThrow())); }),
                new Choice(5, d -> { AttachPoint at = d.attachedPoint(); return new Operation.Detach(at.device(), at.pasid()); }),
                new Choice(3, d -> { DeviceSpec dev = d.device(); return new Operation.QueryAttachment(dev.id(),
                        d.attachPasid(dev)); }));
    }

    /** The operation kinds this generator draws, one sample each (for the coverage test). */
    public List<Class<?>> operationKinds(ModelState state) {
        index = new StateIndex(state);
        Draw draw = new Draw(state, new SplittableRandom(0));
        return choices.map(c -> c.make().apply(draw).getClass());
    }

    public Operation next(ModelState state, SplittableRandom random) {
        if (index == null || index.state != state) {
            index = new StateIndex(state);
        }
        int total = choices.map(Choice::weight).sum().intValue();
        int pick = random.nextInt(total);
        for (Choice choice : choices) {
            pick -= choice.weight();
            if (pick < 0) {
                return choice.make().apply(new Draw(state, random));
            }
        }
        throw new AssertionError("weights");
    }

    /** The argument draws of one operation. */
    private final class Draw {
        private final ModelState state;
        private final SplittableRandom random;

        Draw(ModelState state, SplittableRandom random) {
            this.state = state;
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
            int pages = flip(0.03) ? 0 : between(1, 3);
            int iova = below(bounds.iovaPages());
            int host = below(bounds.hostPages());
            Access access = flip(0.04) ? Access.NONE : List.of(Access.READ, Access.WRITE, Access.READ_WRITE).get(below(3));
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
            return new Operation.Unmap(vm, ioas, below(bounds.iovaPages()), between(flip(0.03) ? 0 : 1, 4));
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
}
