package dev.ioasid.model;

import static dev.ioasid.model.SetSteps.fail;

import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelState.AttachPoint;
import dev.ioasid.model.ModelState.ObjectKey;
import io.vavr.collection.List;
import io.vavr.control.Option;

/**
 * Attachment as iommufd does it (ATT-13; drivers/iommu/iommufd/device.c, iommufd_device_change_pt,
 * iommufd_device_auto_get_domain): the call returns the ID of the HWPT now attached (the uAPI's
 * pt_id). An IOAS is never attached itself: the kernel attaches an automatic paging HWPT of it,
 * one that IOAS already has and the device can use, else a new one with an ID of its choice; an
 * automatic HWPT goes away with its last attachment, and its ID then names nothing.
 */
final class AutoDomains {

    private AutoDomains() {
    }

    /** The automatic HWPTs of the IOAS, by ID. */
    static List<Integer> of(ModelState s, int vm, int ioasId) {
        List<Integer> autos = List.empty();
        for (var e : s.objects()) {
            if (e._1.vm() == vm && e._2 instanceof HwptPaging p && p.auto() && p.ioas() == ioasId) {
                autos = autos.append(e._1.id());
            }
        }
        return autos.sorted();
    }

    /** Whether {@code ptId} is an automatic HWPT of {@code ioasId}. */
    static boolean isAutoOf(ModelState s, int vm, int ptId, int ioasId) {
        return s.object(vm, ptId).exists(o -> o instanceof HwptPaging p && p.auto() && p.ioas() == ioasId);
    }

    /**
     * The point takes {@code tableId}, or for an IOAS an automatic HWPT of it, after {@code leave}
     * has let go of what it held; the result is ok(id=pt_id). For an IOAS, any automatic HWPT it has
     * is legal (the kernel reuses one the device can use) and so is a new one with any free ID (a
     * device behind another IOMMU instance, which the bounds do not model, gets its own).
     */
    static Transition connect(ModelState s, AttachPoint point, int tableId, java.util.function.UnaryOperator<ModelState> leave,
                              List<Rule> rules) {
        int vm = s.vmOf(point.device());
        ModelObject table = s.object(vm, tableId).get();
        if (!(table instanceof Ioas ioas)) {
            return new Transition.Determined(connected(leave.apply(s), point, vm, tableId, rules));
        }
        List<Integer> reuse = of(s, vm, tableId);
        List<Integer> free = ObjectSteps.freeIds(s, vm);
        if (reuse.isEmpty() && free.isEmpty()) {
            return fail(s, Errno.ENOSPC, Rule.OBJ_2);
        }
        List<Rule> created = rules.append(Rule.OBJ_2).append(Rule.HWPT_2);
        return new Transition.ChooseId(reuse.appendAll(free), created, id -> {
            if (reuse.contains(id)) {
                return connected(leave.apply(s), point, vm, id, rules);
            }
            HwptPaging auto = new HwptPaging(0, tableId, false, false, 0, Mirror.pagesOf(ioas.areas()), true);
            ModelState next = leave.apply(s).putObject(vm, id, auto).addUsers(vm, tableId, 1);
            return connected(next, point, vm, id, created);
        });
    }

    private static Transition.Step connected(ModelState s, AttachPoint point, int vm, int ptId, List<Rule> rules) {
        ModelState next = s.withAttachments(s.attachments().put(point, ptId)).addUsers(vm, ptId, 1);
        return new Transition.Step(new Result.Allocated(ptId), next, rules);
    }

    /** The point lets go of the HWPT: an automatic one with no attachment left goes away with its IOAS reference. */
    static ModelState release(ModelState s, int vm, int ptId) {
        ModelState next = s.addUsers(vm, ptId, -1);
        if (next.object(vm, ptId).get() instanceof HwptPaging p && p.auto() && p.users() == 0) {
            next = next.withObjects(next.objects().remove(new ObjectKey(vm, ptId))).addUsers(vm, p.ioas(), -1);
        }
        return next;
    }
}
