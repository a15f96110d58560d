package dev.ioasid.model;

import static dev.ioasid.model.Transition.of;

import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation.AllocPasid;
import dev.ioasid.contract.Operation.CreateSet;
import dev.ioasid.contract.Operation.FreePasid;
import dev.ioasid.contract.Operation.FreeSet;
import dev.ioasid.contract.Operation.QueryPasid;
import dev.ioasid.contract.Operation.QuerySet;
import dev.ioasid.contract.PasidState;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelState.IoasidSet;
import dev.ioasid.model.ModelState.PasidEntry;
import io.vavr.collection.List;
import io.vavr.control.Option;

/** Layer A: IOASID sets with quotas and the PASID lifecycle (SET-*, PASID-*). */
final class SetSteps {

    private SetSteps() {
    }

    static Transition createSet(ModelState s, CreateSet op) {
        if (op.quota() < 0) {
            return fail(s, Errno.EINVAL, Rule.SET_3);
        }
        if (s.sets().containsKey(op.vm())) {
            return fail(s, Errno.EEXIST, Rule.SET_2);
        }
        int left = s.bounds().capacity() - s.reserved();
        if (op.quota() == 0) {
            return left == 0 ? fail(s, Errno.ENOSPC, Rule.SET_4)
                    : of(Result.done(), withSet(s, op.vm(), left), Rule.SET_4, Rule.SET_1);
        }
        if (op.quota() > left) {
            return fail(s, Errno.ENOSPC, Rule.SET_3);
        }
        return of(Result.done(), withSet(s, op.vm(), op.quota()), Rule.SET_1);
    }

    static Transition freeSet(ModelState s, FreeSet op) {
        Option<IoasidSet> set = s.sets().get(op.vm());
        if (set.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.SET_7);
        }
        if (set.get().used() > 0) {
            return fail(s, Errno.EBUSY, Rule.SET_5);
        }
        return of(Result.done(), s.withSets(s.sets().remove(op.vm())), Rule.SET_6);
    }

    static Transition querySet(ModelState s, QuerySet op) {
        Option<IoasidSet> set = s.sets().get(op.vm());
        if (set.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.SET_7);
        }
        return of(new Result.SetUsage(set.get().quota(), set.get().used()), s, Rule.SET_8);
    }

    static Transition allocPasid(ModelState s, AllocPasid op) {
        Option<IoasidSet> set = s.sets().get(op.vm());
        if (set.isEmpty() || op.min() > op.max() || op.min() < 1 || op.max() > s.bounds().pasidMax()) {
            return fail(s, Errno.EINVAL, Rule.PASID_1);
        }
        if (set.get().used() >= set.get().quota()) {
            return fail(s, Errno.ENOSPC, Rule.PASID_2);
        }
        // Counted, not listed: a range may span all 2^20 PASIDs, and the PASIDs held are at most the capacity.
        long held = 0;
        for (var pasid : s.pasids()) {
            held += pasid._1 >= op.min() && pasid._1 <= op.max() ? 1 : 0;
        }
        if (held == (long) op.max() - op.min() + 1) {
            return fail(s, Errno.ENOSPC, Rule.PASID_3);
        }
        List<Rule> rules = List.of(Rule.PASID_4);
        IoasidSet grown = new IoasidSet(set.get().quota(), set.get().used() + 1);
        return new Transition.ChooseInRange(op.min(), op.max(), p -> !s.pasids().containsKey(p), "that no set holds", rules,
                pasid -> new Transition.Step(new Result.Allocated(pasid),
                s.withPasids(s.pasids().put(pasid, new PasidEntry(op.vm(), PasidState.ACTIVE, 0)))
                        .withSets(s.sets().put(op.vm(), grown)), rules));
    }

    static Transition freePasid(ModelState s, FreePasid op) {
        Option<Transition> refused = ownership(s, op.vm(), op.pasid());
        if (refused.isDefined()) {
            return refused.get();
        }
        PasidEntry entry = s.pasids().get(op.pasid()).get();
        if (entry.state() == PasidState.FREE_PENDING) {
            return of(Result.done(), s, Rule.PASID_7);
        }
        if (entry.refs() > 0) {
            PasidEntry pending = new PasidEntry(entry.vm(), PasidState.FREE_PENDING, entry.refs());
            return of(Result.done(), s.withPasids(s.pasids().put(op.pasid(), pending)), Rule.PASID_6);
        }
        return of(Result.done(), s.release(op.pasid()), Rule.PASID_5);
    }

    static Transition queryPasid(ModelState s, QueryPasid op) {
        Option<Transition> refused = ownership(s, op.vm(), op.pasid());
        if (refused.isDefined()) {
            return refused.get();
        }
        PasidEntry entry = s.pasids().get(op.pasid()).get();
        return of(new Result.PasidStatus(entry.state(), entry.refs()), s, Rule.PASID_11);
    }

    /** PASID-9 and PASID-10: the PASID must be held, and by this VM's set. */
    private static Option<Transition> ownership(ModelState s, int vm, int pasid) {
        Option<PasidEntry> entry = s.pasids().get(pasid);
        if (entry.isEmpty()) {
            return Option.some(fail(s, Errno.ENOENT, Rule.PASID_9));
        }
        if (entry.get().vm() != vm) {
            return Option.some(fail(s, Errno.EACCES, Rule.PASID_10));
        }
        return Option.none();
    }

    private static ModelState withSet(ModelState s, int vm, int quota) {
        return s.withSets(s.sets().put(vm, new IoasidSet(quota, 0)));
    }

    /** The calls of the IOASID set API (layer A), which iommufd as merged does not have (GEN-2). */
    static boolean isSetCall(dev.ioasid.contract.Operation op) {
        return op instanceof CreateSet || op instanceof FreeSet || op instanceof QuerySet || op instanceof AllocPasid
                || op instanceof FreePasid || op instanceof QueryPasid;
    }

    static Transition fail(ModelState s, Errno errno, Rule rule) {
        return of(Result.failed(errno), s, rule);
    }
}
