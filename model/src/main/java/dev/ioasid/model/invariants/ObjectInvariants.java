package dev.ioasid.model.invariants;

import static dev.ioasid.model.invariants.Invariant.of;

import dev.ioasid.contract.Area;
import dev.ioasid.model.Mirror;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.Vdevice;
import dev.ioasid.model.ModelObject.Viommu;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.ObjectKey;
import dev.ioasid.model.Rule;
import io.vavr.Tuple2;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.EnumSet;

/** Invariants of layer B objects: reference counts, no dangling reference, areas, mirrors. */
final class ObjectInvariants {

    static final Invariant USERS = of("object users equal the references to it",
            EnumSet.of(Part.OBJECTS, Part.ATTACHMENTS), ObjectInvariants::users,
            Rule.OBJ_5, Rule.HWPT_8, Rule.ATT_6);

    static final Invariant NO_DANGLING = of("every HWPT reference names a live object of the right kind",
            EnumSet.of(Part.OBJECTS),
            ObjectInvariants::noDangling, Rule.OBJ_6, Rule.OBJ_3, Rule.HWPT_1, Rule.HWPT_3, Rule.HWPT_4, Rule.HWPT_5);

    static final Invariant IDS = of("object IDs are within the VM's limit",
            EnumSet.of(Part.OBJECTS), s -> s.objects().keysIterator()
            .find(k -> k.id() < 1 || k.id() > s.bounds().maxObjects())
            .map(k -> "object " + k.id() + " of VM " + k.vm() + " is outside 1.." + s.bounds().maxObjects()),
            Rule.OBJ_2);

    static final Invariant AREAS = of("IOAS areas are disjoint and within the bounds",
            EnumSet.of(Part.OBJECTS), ObjectInvariants::areas,
            Rule.IOAS_1, Rule.IOAS_2);

    static final Invariant MIRRORS = of("every paging HWPT mirrors its IOAS",
            EnumSet.of(Part.OBJECTS), ObjectInvariants::mirrors, Rule.HWPT_2);

    static final Invariant VIOMMUS = of("vIOMMUs, their vDEVICEs and nested HWPTs hang together",
            EnumSet.of(Part.OBJECTS), ObjectInvariants::viommus, Rule.VIOMMU_6, Rule.VIOMMU_1, Rule.VIOMMU_2,
            Rule.VIOMMU_3);

    static final Invariant DIRTY = of("dirty bits are on mapped pages of dirty-tracking HWPTs only",
            EnumSet.of(Part.OBJECTS), ObjectInvariants::dirty, Rule.DIRTY_6, Rule.DIRTY_5);

    static final List<Invariant> ALL = List.of(USERS, NO_DANGLING, IDS, AREAS, MIRRORS, VIOMMUS, DIRTY);

    private ObjectInvariants() {
    }

    private static Option<String> users(ModelState s) {
        // Count every reference once, then compare: linear in the state, as it runs on every new state.
        java.util.Map<ObjectKey, Integer> actual = new java.util.HashMap<>();
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            for (int referenced : entry._2.references()) {
                actual.merge(new ObjectKey(entry._1.vm(), referenced), 1, Integer::sum);
            }
        }
        for (var attachment : s.attachments()) {
            actual.merge(new ObjectKey(s.vmOf(attachment._1.device()), attachment._2), 1, Integer::sum);
        }
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            int count = actual.getOrDefault(entry._1, 0);
            if (entry._2.users() != count) {
                return Option.some("object " + entry._1.id() + " of VM " + entry._1.vm() + " counts " + entry._2.users()
                        + " users but " + count + " references exist");
            }
        }
        return Option.none();
    }

    private static Option<String> noDangling(ModelState s) {
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            int vm = entry._1.vm();
            if (entry._2 instanceof HwptPaging p) {
                if (!(s.object(vm, p.ioas()).getOrNull() instanceof Ioas)) {
                    return Option.some(who(entry._1) + " names IOAS " + p.ioas() + ", which is not a live IOAS");
                }
                if (p.nestParent() && p.fault() != 0) {
                    return Option.some(who(entry._1) + " is a NEST_PARENT with a fault queue");
                }
            }
            if (entry._2 instanceof HwptNested n && !(s.object(vm, n.parent()).getOrNull() instanceof HwptPaging parent
                    && parent.nestParent())) {
                return Option.some(who(entry._1) + " names parent " + n.parent() + ", which is not a live NEST_PARENT HWPT");
            }
            int fault = entry._2 instanceof HwptPaging p ? p.fault() : entry._2 instanceof HwptNested n ? n.fault() : 0;
            if (fault != 0 && !(s.object(vm, fault).getOrNull() instanceof FaultQueue)) {
                return Option.some(who(entry._1) + " names fault queue " + fault + ", which is not a live fault queue");
            }
        }
        return Option.none();
    }

    /**
     * A vIOMMU sits on a live NEST_PARENT HWPT; a vDEVICE names a live vIOMMU, a device of the VM
     * whose IOMMU offers vIOMMUs, and a virtual ID no other vDEVICE of that vIOMMU has; a nested
     * HWPT on a vIOMMU has the vIOMMU's HWPT as parent.
     */
    private static Option<String> viommus(ModelState s) {
        java.util.Set<List<Integer>> virtualIds = new java.util.HashSet<>();
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            int vm = entry._1.vm();
            if (entry._2 instanceof Viommu v && !(s.object(vm, v.hwpt()).getOrNull() instanceof HwptPaging p
                    && p.nestParent())) {
                return Option.some(who(entry._1) + " is a vIOMMU on " + v.hwpt() + ", which is not a live NEST_PARENT HWPT");
            }
            if (entry._2 instanceof Vdevice d) {
                if (!(s.object(vm, d.viommu()).getOrNull() instanceof Viommu)) {
                    return Option.some(who(entry._1) + " is a vDEVICE of " + d.viommu() + ", which is not a live vIOMMU");
                }
                if (s.bounds().device(d.device()).filter(spec -> spec.vm() == vm && spec.viommuCapable()).isEmpty()) {
                    return Option.some(who(entry._1) + " is a vDEVICE of device " + d.device()
                            + ", which is not a device of the VM behind the vIOMMU's IOMMU");
                }
                if (!virtualIds.add(List.of(vm, d.viommu(), d.virtId()))) {
                    return Option.some("two vDEVICEs of vIOMMU " + d.viommu() + " of VM " + vm + " have virtual ID "
                            + d.virtId());
                }
            }
            if (entry._2 instanceof HwptNested n && n.viommu() != 0
                    && !(s.object(vm, n.viommu()).getOrNull() instanceof Viommu v && v.hwpt() == n.parent())) {
                return Option.some(who(entry._1) + " is on vIOMMU " + n.viommu() + " but its parent " + n.parent()
                        + " is not that vIOMMU's HWPT");
            }
        }
        return Option.none();
    }

    private static Option<String> dirty(ModelState s) {
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            if (entry._2 instanceof HwptPaging p) {
                var dirty = p.dirty();
                if (!dirty.trackable() && (dirty.tracking() || !dirty.pages().isEmpty())) {
                    return Option.some(who(entry._1) + " tracks dirty pages but was not allocated with DIRTY_TRACKING");
                }
                var unmapped = dirty.pages().find(page -> !p.pages().containsKey(page));
                if (unmapped.isDefined()) {
                    return Option.some(who(entry._1) + " has a dirty bit on page " + unmapped.get() + ", which it does not map");
                }
            }
        }
        return Option.none();
    }

    /** Names an object, for a violation only: every new state is checked, so it is not built otherwise. */
    private static String who(ObjectKey key) {
        return "object " + key.id() + " of VM " + key.vm();
    }

    private static Option<String> areas(ModelState s) {
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            if (entry._2 instanceof Ioas ioas) {
                long end = 0;
                for (Area area : ioas.areaList()) {
                    if (area.iova() < end || area.pages() < 1 || area.end() > s.bounds().iovaPages()) {
                        return Option.some("IOAS " + entry._1.id() + " of VM " + entry._1.vm() + " has bad area " + area);
                    }
                    end = area.end();
                }
            }
        }
        return Option.none();
    }

    private static Option<String> mirrors(ModelState s) {
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            if (entry._2 instanceof HwptPaging p && s.object(entry._1.vm(), p.ioas()).getOrNull() instanceof Ioas ioas
                    && !Mirror.mirrors(p.pages(), ioas.areas())) {
                return Option.some("HWPT " + entry._1.id() + " of VM " + entry._1.vm() + " holds " + p.pages().values()
                        + " but its IOAS maps " + Mirror.pagesOf(ioas.areas()).values());
            }
        }
        return Option.none();
    }
}
