package dev.ioasid.model;

import static dev.ioasid.model.SetSteps.fail;

import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation.AllocHwptNested;
import dev.ioasid.contract.Operation.AllocHwptPaging;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.Viommu;
import io.vavr.control.Option;

/**
 * IOMMU_HWPT_ALLOC as iommufd checks it (drivers/iommu/iommufd/hw_pagetable.c, Linux 6.15+): one
 * ioctl whose {@code pt_id} is looked up as any kind and switched on, so an unknown one is EINVAL,
 * not ENOENT; a paging HWPT named as the IOAS takes the nested path and an IOAS named as the parent
 * the paging path with driver data, both refused EOPNOTSUPP; NEST_PARENT with a fault queue is
 * refused before anything is allocated (iommufd_hwpt_paging_alloc); the object ID is reserved next,
 * and the fault queue is looked up last with a typed lookup (iommufd_get_fault), so a wrong kind is
 * ENOENT. A vIOMMU as the parent allocates the nested HWPT on it (VIOMMU-3).
 */
final class IommufdHwptAlloc {

    private IommufdHwptAlloc() {
    }

    static Transition paging(ModelState s, AllocHwptPaging op) {
        Option<ModelObject> pt = s.object(op.vm(), op.ioas());
        if (pt.isEmpty()) {
            return fail(s, Errno.EINVAL, Rule.HWPT_1);
        }
        if (pt.get() instanceof HwptPaging || pt.get() instanceof Viommu) {
            return fail(s, Errno.EOPNOTSUPP, Rule.HWPT_1); // the nested path, without driver data
        }
        if (!(pt.get() instanceof Ioas source)) {
            return fail(s, Errno.EINVAL, Rule.HWPT_1);
        }
        if (op.nestParent() && op.fault() != 0) {
            return fail(s, Errno.EOPNOTSUPP, Rule.HWPT_3);
        }
        Transition allocation = ObjectSteps.allocate(s, op.vm(), ObjectSteps.pagingOf(op, source),
                op.dirtyTracking() ? ObjectSteps.PAGING_RULES.append(Rule.DIRTY_1) : ObjectSteps.PAGING_RULES,
                faultLookup(s, op.vm(), op.fault()));
        if (op.dirtyTracking() && (op.nestParent() || op.allocPasid())) {
            // The core allows these; drivers differ (Intel tracks a nest parent's dirty pages, arm-smmu-v3
            // tracks stage 1 only, AMD refuses dirty tracking with ALLOC_PASID): EOPNOTSUPP once the ID is taken.
            return new Transition.AnyOf(io.vavr.collection.List.of(allocation, ObjectSteps.allocate(s, op.vm(),
                    ObjectSteps.pagingOf(op, source), ObjectSteps.PAGING_RULES,
                    Option.some(fail(s, Errno.EOPNOTSUPP, Rule.DIRTY_1)))));
        }
        return allocation;
    }

    static Transition nested(ModelState s, AllocHwptNested op) {
        Option<ModelObject> pt = s.object(op.vm(), op.parent());
        if (pt.isEmpty()) {
            return fail(s, Errno.EINVAL, Rule.HWPT_4);
        }
        if (pt.get() instanceof Ioas) {
            return fail(s, Errno.EOPNOTSUPP, Rule.HWPT_4);
        }
        if (pt.get() instanceof Viommu viommu) {
            return ViommuSteps.nestedOnViommu(s, op, viommu, faultLookup(s, op.vm(), op.fault()));
        }
        if (!(pt.get() instanceof HwptPaging paging && paging.nestParent())) {
            return fail(s, Errno.EINVAL, Rule.HWPT_4);
        }
        return ObjectSteps.allocate(s, op.vm(), ObjectSteps.nestedOf(op), ObjectSteps.NESTED_RULES,
                faultLookup(s, op.vm(), op.fault()));
    }

    /** iommufd_get_fault: a typed lookup, so an unknown ID and an object of another kind are both ENOENT (HWPT-5). */
    private static Option<Transition> faultLookup(ModelState s, int vm, int fault) {
        if (fault == 0 || s.object(vm, fault).exists(o -> o instanceof FaultQueue)) {
            return Option.none();
        }
        return Option.some(fail(s, Errno.ENOENT, Rule.HWPT_5));
    }
}
