package dev.ioasid.model;

import static dev.ioasid.model.SetSteps.fail;
import static dev.ioasid.model.Transition.of;

import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation.AllocFaultQueue;
import dev.ioasid.contract.Operation.AllocHwptNested;
import dev.ioasid.contract.Operation.AllocHwptPaging;
import dev.ioasid.contract.Operation.AllocIoas;
import dev.ioasid.contract.Operation.AllocSva;
import dev.ioasid.contract.Operation.Destroy;
import dev.ioasid.contract.Operation.QueryObject;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.Sva;
import io.vavr.collection.List;
import io.vavr.control.Option;

/** Layer B: the per-VM object namespace, object creation and destroy (OBJ-*, HWPT-*, SVA-1). */
final class ObjectSteps {

    private ObjectSteps() {
    }

    static Transition allocIoas(ModelState s, AllocIoas op) {
        return allocate(s, op.vm(), Ioas.empty(), List.of(Rule.OBJ_2), Option.none());
    }

    static Transition allocFaultQueue(ModelState s, AllocFaultQueue op) {
        return allocate(s, op.vm(), FaultQueue.empty(), List.of(Rule.OBJ_2), Option.none());
    }

    static Transition allocSva(ModelState s, AllocSva op) {
        return allocate(s, op.vm(), new Sva(0, op.mm()), List.of(Rule.SVA_1, Rule.OBJ_2), Option.none());
    }

    static Transition allocHwptPaging(ModelState s, AllocHwptPaging op) {
        if (s.bounds().iommufd()) {
            return IommufdHwptAlloc.paging(s, op);
        }
        if (op.dirtyTracking()) {
            return fail(s, Errno.EOPNOTSUPP, Rule.DIRTY_1); // the 2021 proposal has no such flag
        }
        Option<ModelObject> ioas = s.object(op.vm(), op.ioas());
        if (ioas.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.OBJ_1);
        }
        if (!(ioas.get() instanceof Ioas source)) {
            return fail(s, Errno.EINVAL, Rule.HWPT_1);
        }
        Option<Transition> badFault = checkFault(s, op.vm(), op.fault());
        if (badFault.isDefined()) {
            return badFault.get();
        }
        if (op.nestParent() && op.fault() != 0) {
            return fail(s, Errno.EOPNOTSUPP, Rule.HWPT_3);
        }
        return allocate(s, op.vm(), pagingOf(op, source), PAGING_RULES, Option.none());
    }

    static Transition allocHwptNested(ModelState s, AllocHwptNested op) {
        if (s.bounds().iommufd()) {
            return IommufdHwptAlloc.nested(s, op);
        }
        Option<ModelObject> parent = s.object(op.vm(), op.parent());
        if (parent.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.OBJ_1);
        }
        if (!(parent.get() instanceof HwptPaging paging && paging.nestParent())) {
            return fail(s, Errno.EINVAL, Rule.HWPT_4);
        }
        Option<Transition> badFault = checkFault(s, op.vm(), op.fault());
        if (badFault.isDefined()) {
            return badFault.get();
        }
        return allocate(s, op.vm(), nestedOf(op), NESTED_RULES, Option.none());
    }

    static final List<Rule> PAGING_RULES = List.of(Rule.HWPT_1, Rule.HWPT_2, Rule.HWPT_8, Rule.OBJ_2);
    static final List<Rule> NESTED_RULES = List.of(Rule.HWPT_4, Rule.HWPT_8, Rule.OBJ_2);

    static HwptPaging pagingOf(AllocHwptPaging op, Ioas source) {
        return new HwptPaging(0, op.ioas(), op.nestParent(), op.allocPasid(), op.fault(), Mirror.pagesOf(source.areas()),
                false, op.dirtyTracking() ? ModelObject.Dirty.OFF : ModelObject.Dirty.NONE);
    }

    static HwptNested nestedOf(AllocHwptNested op) {
        return HwptNested.of(op.parent(), op.allocPasid(), op.fault());
    }

    static Transition destroy(ModelState s, Destroy op) {
        Option<ModelObject> target = s.object(op.vm(), op.id());
        if (target.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.OBJ_1);
        }
        if (target.get().users() > 0) {
            return fail(s, Errno.EBUSY, Rule.OBJ_3);
        }
        boolean queue = target.get() instanceof FaultQueue;
        ModelState next = queue ? FaultSteps.abandonQueue(s, op.vm(), op.id()) : s;
        next = next.withObjects(next.objects().remove(new ModelState.ObjectKey(op.vm(), op.id())));
        for (int referenced : target.get().references()) {
            next = next.addUsers(op.vm(), referenced, -1);
        }
        return queue ? of(Result.done(), next, Rule.OBJ_4, Rule.FLT_6) : of(Result.done(), next, Rule.OBJ_4);
    }

    static Transition queryObject(ModelState s, QueryObject op) {
        Option<ModelObject> target = s.object(op.vm(), op.id());
        if (target.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.OBJ_1);
        }
        return of(new Result.ObjectStatus(target.get().kind(), target.get().users()), s, Rule.OBJ_5);
    }

    /** A fault argument is optional (0); when given it must be a fault queue of this VM (OBJ-1, HWPT-5). */
    private static Option<Transition> checkFault(ModelState s, int vm, int fault) {
        if (fault == 0) {
            return Option.none();
        }
        Option<ModelObject> queue = s.object(vm, fault);
        if (queue.isEmpty()) {
            return Option.some(fail(s, Errno.ENOENT, Rule.OBJ_1));
        }
        if (!(queue.get() instanceof FaultQueue)) {
            return Option.some(fail(s, Errno.EINVAL, Rule.HWPT_5));
        }
        return Option.none();
    }

    /**
     * Any unused ID of the VM is a legal answer (OBJ-2); the new object takes its references (HWPT-8).
     * {@code afterId} is a refusal the kernel finds only once the ID is reserved (iommufd looks the
     * fault queue up after allocating the HWPT): it applies only when an ID is free.
     */
    static Transition allocate(ModelState s, int vm, ModelObject created, List<Rule> rules, Option<Transition> afterId) {
        List<Integer> free = freeIds(s, vm);
        if (free.isEmpty()) {
            return fail(s, Errno.ENOSPC, Rule.OBJ_2);
        }
        if (afterId.isDefined()) {
            return afterId.get();
        }
        return new Transition.ChooseId(free, rules, id -> {
            ModelState next = s.putObject(vm, id, created);
            for (int referenced : created.references()) {
                next = next.addUsers(vm, referenced, 1);
            }
            return new Transition.Step(new Result.Allocated(id), next, rules);
        });
    }

    /** The IDs of {@code 1..maxObjects} no object of the VM has, in order: the legal answers of an allocation (OBJ-2). */
    static List<Integer> freeIds(ModelState s, int vm) {
        List<Integer> free = List.empty();
        for (int id = s.bounds().maxObjects(); id >= 1; id--) {
            if (!s.objects().containsKey(new ModelState.ObjectKey(vm, id))) {
                free = free.prepend(id);
            }
        }
        return free;
    }
}
