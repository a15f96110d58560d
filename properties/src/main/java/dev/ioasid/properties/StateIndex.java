package dev.ioasid.properties;

import dev.ioasid.contract.ObjectKind;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.AttachPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The parts of a model state the generator draws from, in a stable order (so that draws do not
 * depend on hash order), built in one pass per distinct state rather than on every draw.
 */
final class StateIndex {
    record Obj(int vm, int id, ObjectKind kind, ModelObject object) {
    }

    record HeldPasid(int pasid, int vm) {
    }

    final ModelState state;
    final List<Obj> objects = new ArrayList<>();
    final List<Integer> setVms = new ArrayList<>();
    final List<HeldPasid> pasids = new ArrayList<>();
    final List<AttachPoint> attached = new ArrayList<>();
    private final java.util.EnumSet<ObjectKind> kinds = java.util.EnumSet.noneOf(ObjectKind.class);
    private boolean nestParent;
    private boolean delivered;
    private boolean awaiting;
    private boolean room;

    StateIndex(ModelState state) {
        this.state = state;
        state.objects().forEach(e -> objects.add(new Obj(e._1.vm(), e._1.id(), e._2.kind(), e._2)));
        objects.sort(Comparator.comparingInt(Obj::vm).thenComparingInt(Obj::id));
        state.sets().keySet().forEach(setVms::add);
        setVms.sort(Comparator.naturalOrder());
        state.pasids().forEach(e -> pasids.add(new HeldPasid(e._1, e._2.vm())));
        pasids.sort(Comparator.comparingInt(HeldPasid::pasid));
        state.attachments().keySet().forEach(attached::add);
        attached.sort(Comparator.comparingInt(AttachPoint::device).thenComparingInt(AttachPoint::pasid));
        int[] perVm = new int[state.bounds().vms() + 1];
        for (Obj o : objects) {
            perVm[o.vm()]++;
        }
        for (int vm = 1; vm < perVm.length; vm++) {
            room |= perVm[vm] < state.bounds().maxObjects();
        }
        for (Obj o : objects) {
            kinds.add(o.kind());
            nestParent |= o.object() instanceof ModelObject.HwptPaging p && p.nestParent();
            delivered |= o.object() instanceof ModelObject.FaultQueue q && !q.delivered().isEmpty();
            awaiting |= o.object() instanceof ModelObject.FaultQueue q && !q.awaiting().isEmpty();
        }
    }

    boolean has(ObjectKind kind) {
        return kinds.contains(kind);
    }

    boolean hasNestParent() {
        return nestParent;
    }

    /** Something that can be attached: any object but a fault queue. */
    boolean hasTable() {
        return kinds.size() > (kinds.contains(ObjectKind.FAULT_QUEUE) ? 1 : 0);
    }

    /** Some VM can still allocate an object. */
    boolean hasRoom() {
        return room;
    }

    /** Some set can still allocate a PASID. */
    boolean hasPasidRoom() {
        return state.sets().values().exists(set -> set.used() < set.quota());
    }

    boolean hasDelivered() {
        return delivered;
    }

    boolean awaitsResponse() {
        return awaiting;
    }

    /** The PASIDs VM {@code vm}'s set holds that pass {@code filter}, in order. */
    /** How many PASID values the iommufd profile's generator names (1..this), so attach points recur. */
    static final int IOMMUFD_PASIDS = 4;

    List<Integer> pasidsOf(int vm, IntPredicate filter) {
        List<Integer> result = new ArrayList<>();
        if (state.bounds().iommufd()) {
            // No sets: a VM's devices name PASIDs of their own choice; the first few values serve.
            for (int p = 1; p <= Math.min(state.bounds().pasidMax(), IOMMUFD_PASIDS); p++) {
                if (filter.test(p)) {
                    result.add(p);
                }
            }
            return result;
        }
        for (HeldPasid p : pasids) {
            if (p.vm() == vm && filter.test(p.pasid())) {
                result.add(p.pasid());
            }
        }
        return result;
    }
}
