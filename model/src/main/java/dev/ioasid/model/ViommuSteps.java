package dev.ioasid.model;

import static dev.ioasid.model.SetSteps.fail;
import static dev.ioasid.model.Transition.of;

import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation.AllocHwptNested;
import dev.ioasid.contract.Operation.AllocVdevice;
import dev.ioasid.contract.Operation.AllocViommu;
import dev.ioasid.contract.Operation.InvalidateViommu;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Vdevice;
import dev.ioasid.model.ModelObject.Viommu;
import dev.ioasid.model.ModelState.AttachPoint;
import io.vavr.Tuple2;
import io.vavr.collection.List;
import io.vavr.control.Option;

/**
 * iommufd's vIOMMU objects (drivers/iommu/iommufd/viommu.c, hw_pagetable.c; Linux 6.13+, check
 * orders of 6.17+): a vIOMMU on a NEST_PARENT HWPT, vDEVICEs naming a device by the guest's virtual
 * ID, nested HWPTs allocated on a vIOMMU, and stage-1 cache invalidation through the vIOMMU, whose
 * entries name devices by virtual ID (VIOMMU-1..6). Under ioasid-2021 none of these calls exist (GEN-3).
 */
final class ViommuSteps {

    private ViommuSteps() {
    }

    /** iommufd_viommu_alloc_ioctl: the device, its driver's support, then the HWPT (typed), then NEST_PARENT. */
    static Transition allocViommu(ModelState s, AllocViommu op) {
        int vm = s.vmOf(op.device());
        if (!s.bounds().device(op.device()).map(DeviceSpec::viommuCapable).orElse(false)) {
            return fail(s, Errno.EOPNOTSUPP, Rule.VIOMMU_1);
        }
        Option<ModelObject> hwpt = s.object(vm, op.hwpt());
        if (!(hwpt.getOrNull() instanceof HwptPaging paging)) {
            return fail(s, Errno.ENOENT, Rule.VIOMMU_1); // iommufd_get_hwpt_paging: a typed lookup
        }
        if (!paging.nestParent()) {
            return fail(s, Errno.EINVAL, Rule.VIOMMU_1);
        }
        return ObjectSteps.allocate(s, vm, new Viommu(0, op.hwpt()), List.of(Rule.VIOMMU_1, Rule.OBJ_2),
                Option.none());
    }

    /**
     * iommufd_vdevice_alloc_ioctl: the virtual ID, the vIOMMU (typed), the device's IOMMU instance,
     * whether the device has a vDEVICE already, the object ID, then the virtual ID's slot in the
     * vIOMMU (found taken only once the object is reserved, which is then aborted).
     */
    static Transition allocVdevice(ModelState s, AllocVdevice op) {
        int vm = s.vmOf(op.device());
        if (op.virtId() < 0) {
            return fail(s, Errno.EINVAL, Rule.VIOMMU_2); // virt_id > ULONG_MAX: a u64 the model's int cannot hold
        }
        if (!(s.object(vm, op.viommu()).getOrNull() instanceof Viommu)) {
            return fail(s, Errno.ENOENT, Rule.VIOMMU_2);
        }
        if (!s.bounds().device(op.device()).map(DeviceSpec::viommuCapable).orElse(false)) {
            return fail(s, Errno.EINVAL, Rule.VIOMMU_2); // viommu->iommu_dev differs: the device is behind another IOMMU
        }
        Option<Transition> taken = vdeviceOf(s, vm, op.viommu(), op.virtId()).isDefined()
                ? Option.some(fail(s, Errno.EEXIST, Rule.VIOMMU_2)) : Option.none();
        Transition allocation = ObjectSteps.allocate(s, vm, new Vdevice(0, op.viommu(), op.device(), op.virtId()),
                List.of(Rule.VIOMMU_2, Rule.OBJ_2), taken);
        if (!hasVdevice(s, vm, op.device())) {
            return allocation;
        }
        // Linux 6.17 refuses a second vDEVICE of a device (idev->vdev); 6.13-6.16 allowed it.
        return new Transition.AnyOf(List.of(fail(s, Errno.EEXIST, Rule.VIOMMU_2), allocation));
    }

    /** iommufd_viommu_alloc_hwpt_nested: ALLOC_PASID and a fault queue allowed; the reference goes on the vIOMMU. */
    static Transition nestedOnViommu(ModelState s, AllocHwptNested op, Viommu viommu, Option<Transition> faultLookup) {
        return ObjectSteps.allocate(s, op.vm(), HwptNested.onViommu(viommu.hwpt(), op.parent(), op.allocPasid(),
                op.fault()), List.of(Rule.VIOMMU_3, Rule.HWPT_8, Rule.OBJ_2), faultLookup);
    }

    /**
     * IOMMU_HWPT_INVALIDATE on a vIOMMU (iommufd_hwpt_invalidate, then the driver's
     * cache_invalidate): an ID that names nothing is ENOENT; another kind is EINVAL (a nested HWPT's
     * driver refuses the vIOMMU data type, other kinds the switch); no entries succeed; an unknown
     * virtual ID is EINVAL (the selftest's mock driver) or EIO (arm-smmu-v3's vSID lookup).
     */
    static Transition invalidateViommu(ModelState s, InvalidateViommu op) {
        Option<ModelObject> target = s.object(op.vm(), op.viommu());
        if (target.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.VIOMMU_4);
        }
        if (!(target.get() instanceof Viommu)) {
            return fail(s, Errno.EINVAL, Rule.VIOMMU_4);
        }
        if (op.pages() == 0 && op.iova() >= 0) {
            return of(Result.done(), s, Rule.VIOMMU_4);
        }
        if (op.pages() < 1 || op.iova() < 0) {
            return fail(s, Errno.EINVAL, Rule.VIOMMU_4);
        }
        Option<Vdevice> vdevice = vdeviceOf(s, op.vm(), op.viommu(), op.virtId());
        if (vdevice.isEmpty()) {
            return new Transition.OneOf(List.of(
                    new Transition.Step(Result.failed(Errno.EINVAL), s, List.of(Rule.VIOMMU_4)),
                    new Transition.Step(Result.failed(Errno.EIO), s, List.of(Rule.VIOMMU_4))));
        }
        ModelState next = s;
        boolean changed = false;
        for (Tuple2<ModelState.ObjectKey, ModelObject> e : s.objects()) {
            if (e._1.vm() == op.vm() && e._2 instanceof HwptNested n && n.viommu() == op.viommu()
                    && seenOnlyBy(s, op.vm(), e._1.id(), vdevice.get().device())) {
                HwptNested invalidated = n.invalidated(op.iova(), op.pages());
                if (invalidated != n) {
                    next = next.putObject(op.vm(), e._1.id(), invalidated);
                    changed = true;
                }
            }
        }
        return changed ? of(Result.done(), next, Rule.VIOMMU_4, Rule.XLT_5) : of(Result.done(), next, Rule.VIOMMU_4);
    }

    /**
     * Whether only {@code device} can hold stage-1 translations of nested HWPT {@code hwpt}: it is
     * attached, and only at that device's attach points. A device-scoped invalidation guarantees
     * nothing to another device sharing the table (its own caches may still hold the old entry), nor
     * to a table attached nowhere (hardware may keep entries tagged by domain across attachments), so
     * the model keeps those stale entries allowed.
     */
    private static boolean seenOnlyBy(ModelState s, int vm, int hwpt, int device) {
        boolean attached = false;
        for (Tuple2<AttachPoint, Integer> a : s.attachments()) {
            if (a._2 == hwpt && s.vmOf(a._1.device()) == vm) {
                if (a._1.device() != device) {
                    return false;
                }
                attached = true;
            }
        }
        return attached;
    }

    /** The vDEVICE of vIOMMU {@code viommu} with virtual ID {@code virtId}, if any. */
    static Option<Vdevice> vdeviceOf(ModelState s, int vm, int viommu, int virtId) {
        for (Tuple2<ModelState.ObjectKey, ModelObject> e : s.objects()) {
            if (e._1.vm() == vm && e._2 instanceof Vdevice v && v.viommu() == viommu && v.virtId() == virtId) {
                return Option.some(v);
            }
        }
        return Option.none();
    }

    private static boolean hasVdevice(ModelState s, int vm, int device) {
        return s.objects().exists(e -> e._1.vm() == vm && e._2 instanceof Vdevice v && v.device() == device);
    }
}
