package dev.ioasid.model;

import static dev.ioasid.model.SetSteps.fail;
import static dev.ioasid.model.Transition.of;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation.Dma;
import dev.ioasid.contract.Operation.MmMap;
import dev.ioasid.contract.Operation.MmUnmap;
import dev.ioasid.contract.Operation.WriteStage1;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.Stage1Entry;
import dev.ioasid.model.ModelState.MmMapping;
import dev.ioasid.model.ModelState.MmPage;
import io.vavr.collection.HashSet;
import io.vavr.collection.List;
import io.vavr.control.Option;

/** Layer C: DMA translation, the guest's stage-1 writes and the process's own pages (XLT-*, SVA-2/3). */
final class DmaSteps {

    private DmaSteps() {
    }

    static Transition dma(ModelState s, Dma op) {
        DeviceSpec device = s.bounds().device(op.device()).orElseThrow();
        if (badAccess(s, device, op.pasid(), op.iova(), op.access())) {
            return fail(s, Errno.EINVAL, Rule.XLT_7);
        }
        List<Translation.Outcome> outcomes = Translation.dma(s, op.device(), op.pasid(), op.iova(), op.access());
        boolean viaRid = s.handlingPasid(op.device(), op.pasid()) != op.pasid();
        boolean writes = op.access() == Access.WRITE || op.access() == Access.READ_WRITE;
        List<Transition.Step> steps = outcomes.map(o -> {
            List<Rule> rules = viaRid ? List.of(o.rule(), Rule.PRQ_8) : List.of(o.rule());
            ModelState next = writes && o.result() instanceof Result.Translated ? dirtied(s, device.vm(), o) : s;
            return new Transition.Step(o.result(), next, next == s ? rules : rules.append(Rule.DIRTY_5));
        });
        return steps.size() == 1 ? new Transition.Determined(steps.head()) : new Transition.OneOf(steps);
    }

    /** A write through a paging HWPT allocated with DIRTY_TRACKING leaves the page's dirty bit (DIRTY-5). */
    private static ModelState dirtied(ModelState s, int vm, Translation.Outcome o) {
        if (o.hwpt() == 0 || !(s.object(vm, o.hwpt()).getOrNull() instanceof ModelObject.HwptPaging paging)
                || !paging.dirty().trackable()) {
            return s;
        }
        ModelObject.Dirty dirty = paging.dirty().written(o.page());
        return dirty.equals(paging.dirty()) ? s : s.putObject(vm, o.hwpt(), paging.withDirty(dirty));
    }

    static Transition writeStage1(ModelState s, WriteStage1 op) {
        Option<ModelObject> target = s.object(op.vm(), op.hwpt());
        if (target.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.OBJ_1);
        }
        if (!(target.get() instanceof HwptNested nested) || !s.bounds().isIova(op.iova())
                || !s.bounds().isIova(op.gpa())) {
            return fail(s, Errno.EINVAL, Rule.XLT_8);
        }
        Stage1Entry old = nested.entry(op.iova());
        Stage1Entry written = op.access() == Access.NONE ? Stage1Entry.ABSENT : new Stage1Entry(op.gpa(), op.access());
        if (old.equals(written)) {
            return of(Result.done(), s, Rule.XLT_8);
        }
        HwptNested updated = nested.withStage1(
                written == Stage1Entry.ABSENT ? nested.stage1().remove(op.iova()) : nested.stage1().put(op.iova(), written),
                nested.stale().put(op.iova(), nested.stale().get(op.iova()).getOrElse(HashSet.empty()).add(old)));
        return of(Result.done(), s.putObject(op.vm(), op.hwpt(), updated), Rule.XLT_8, Rule.XLT_4);
    }

    static Transition mmMap(ModelState s, MmMap op) {
        if (op.page() < 0 || op.page() >= s.bounds().mmPages() || op.host() < 0 || op.host() >= s.bounds().hostPages()
                || op.access() == Access.NONE) {
            return fail(s, Errno.EINVAL, Rule.SVA_2);
        }
        MmPage page = new MmPage(op.mm(), op.page());
        if (s.mm().containsKey(page)) {
            return fail(s, Errno.EEXIST, Rule.SVA_2);
        }
        return of(Result.done(), s.withMm(s.mm().put(page, new MmMapping(op.host(), op.access()))), Rule.SVA_2);
    }

    static Transition mmUnmap(ModelState s, MmUnmap op) {
        if (op.page() < 0 || op.page() >= s.bounds().mmPages()) {
            return fail(s, Errno.EINVAL, Rule.SVA_3);
        }
        MmPage page = new MmPage(op.mm(), op.page());
        if (!s.mm().containsKey(page)) {
            return fail(s, Errno.ENOENT, Rule.SVA_3);
        }
        return of(Result.done(), s.withMm(s.mm().remove(page)), Rule.SVA_3);
    }

    /** XLT-7: the address, the access and the PASID a device uses must be ones it can use. */
    static boolean badAccess(ModelState s, DeviceSpec device, int pasid, int iova, Access access) {
        boolean badPasid = pasid != Pasid.NONE && (pasid < 1 || !device.canIssue(pasid));
        return badPasid || !s.bounds().isIova(iova) || access == Access.NONE;
    }
}
