package dev.ioasid.model.invariants;

import static dev.ioasid.model.invariants.Invariant.of;

import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Pasid;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.Sva;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ReservedIovas;
import dev.ioasid.model.ModelState.AttachPoint;
import dev.ioasid.model.ModelState.PasidEntry;
import dev.ioasid.model.Rule;
import io.vavr.Tuple2;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.EnumSet;

/** Invariants of attachment: PASID reference counts, and what an attachment may point at. */
final class AttachInvariants {

    static final Invariant PASID_REFS = of("PASID references equal the attachments naming it",
            EnumSet.of(Part.ATTACHMENTS, Part.PASIDS),
            AttachInvariants::pasidRefs, Rule.PASID_11, Rule.ATT_6, Rule.ATT_10);

    static final Invariant TARGETS = of("every attachment names a live, attachable table and a PASID of its VM",
            EnumSet.of(Part.ATTACHMENTS, Part.OBJECTS, Part.PASIDS),
            AttachInvariants::targets, Rule.OBJ_6, Rule.ATT_2, Rule.ATT_3, Rule.ATT_4, Rule.ATT_5, Rule.ATT_12, Rule.ATT_13, Rule.SVA_1);

    static final Invariant RESERVED = of("no area and no allowed range meets a range reserved in its IOAS",
            EnumSet.of(Part.ATTACHMENTS, Part.OBJECTS), AttachInvariants::reserved,
            Rule.RESV_5, Rule.RESV_1, Rule.RESV_2, Rule.RESV_3, Rule.RESV_4, Rule.IOAS_11);

    static final List<Invariant> ALL = List.of(PASID_REFS, TARGETS, RESERVED);

    private AttachInvariants() {
    }

    private static Option<String> pasidRefs(ModelState s) {
        if (s.pasids().isEmpty()) {
            return Option.none(); // no PASID to count references of (an attachment naming none is TARGETS' to find)
        }
        java.util.Map<Integer, Integer> actual = new java.util.HashMap<>();
        for (AttachPoint point : s.attachments().keySet()) {
            actual.merge(point.pasid(), 1, Integer::sum);
        }
        for (Tuple2<Integer, PasidEntry> pasid : s.pasids()) {
            int count = actual.getOrDefault(pasid._1, 0);
            if (pasid._2.refs() != count) {
                return Option.some("PASID " + pasid._1 + " counts " + pasid._2.refs() + " references but "
                        + count + " attachments name it");
            }
        }
        return Option.none();
    }

    private static Option<String> reserved(ModelState s) {
        if (!s.bounds().iommufd()) {
            return Option.none();
        }
        for (DeviceSpec device : s.bounds().devices()) {
            if (device.reserved().isEmpty()) {
                continue;
            }
            Option<Integer> rid = s.attached(device.id(), Pasid.NONE);
            int ioasId = rid.isEmpty() ? 0 : ReservedIovas.ioasBehind(s, device.vm(), rid.get());
            if (ioasId != 0 && s.object(device.vm(), ioasId).get() instanceof Ioas ioas
                    && ReservedIovas.conflict(device, ioas)) {
                return Option.some("device " + device.id() + " reserves " + device.reserved() + " in IOAS " + ioasId
                        + " of VM " + device.vm() + ", which maps " + ioas.areaList().toJavaList() + " and allows "
                        + (ioas.allowed().any() ? "any IOVA" : ioas.allowed()));
            }
        }
        return Option.none();
    }

    private static Option<String> targets(ModelState s) {
        if (s.bounds().iommufd()) {
            // ATT-13: an automatic HWPT exists only while something is attached to it.
            for (var e : s.objects()) {
                if (e._2 instanceof HwptPaging p && p.auto() && p.users() == 0) {
                    return Option.some("automatic HWPT " + e._1.id() + " of VM " + e._1.vm() + " outlived its last attachment");
                }
            }
        }
        for (Tuple2<AttachPoint, Integer> attachment : s.attachments()) {
            Option<String> problem = targetProblem(s, attachment._1, attachment._2);
            if (problem.isDefined()) {
                return problem.map(p -> "attachment at (dev=" + attachment._1.device() + ", pasid="
                        + Pasid.show(attachment._1.pasid()) + ") " + p);
            }
        }
        return Option.none();
    }

    /** ATT-12: beside a PASID attachment, the device's RID holds nothing or a PASID-compatible table. */
    private static Option<String> ridCompatible(ModelState s, DeviceSpec device) {
        Option<Integer> rid = s.attached(device.id(), Pasid.NONE);
        if (rid.isEmpty()) {
            return Option.none();
        }
        ModelObject table = s.object(device.vm(), rid.get()).getOrNull();
        boolean compatible = (table instanceof HwptPaging p && p.allocPasid()) || (table instanceof HwptNested n && n.allocPasid());
        return compatible ? Option.none() : Option.some("sits beside a RID attachment of a table that is not PASID-compatible");
    }

    private static Option<String> targetProblem(ModelState s, AttachPoint point, int tableId) {
        DeviceSpec device = s.bounds().device(point.device()).orElseThrow();
        ModelObject table = s.object(device.vm(), tableId).getOrNull();
        if (table == null || table instanceof FaultQueue) {
            return Option.some("names " + tableId + ", which is not a live table of VM " + device.vm());
        }
        boolean onPasid = point.pasid() != Pasid.NONE;
        if (table instanceof Ioas && s.bounds().iommufd()) {
            return Option.some("names IOAS " + tableId + " itself, not its automatic HWPT (ATT-13)");
        }
        if ((table instanceof Ioas && onPasid) || (table instanceof Sva && !onPasid)) {
            return Option.some("holds a " + table.kind() + " where it cannot be attached");
        }
        if (!onPasid) {
            return Option.none();
        }
        boolean allowsPasid = table instanceof Sva || (table instanceof HwptPaging p && p.allocPasid())
                || (table instanceof HwptNested n && n.allocPasid());
        if (!device.canIssue(point.pasid()) || !allowsPasid) {
            return Option.some("is a PASID attachment the device or table does not support");
        }
        if (s.bounds().iommufd()) {
            return ridCompatible(s, device);
        }
        PasidEntry entry = s.pasids().get(point.pasid()).getOrNull();
        if (entry == null || entry.vm() != device.vm()) {
            return Option.some("names a PASID its VM's set does not hold");
        }
        return Option.none();
    }
}
