package dev.ioasid.model;

import static dev.ioasid.model.SetSteps.fail;
import static dev.ioasid.model.Transition.of;

import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation.GetDirtyBitmap;
import dev.ioasid.contract.Operation.SetDirtyTracking;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelObject.Dirty;
import dev.ioasid.model.ModelObject.HwptPaging;
import io.vavr.collection.List;
import io.vavr.control.Either;

/**
 * iommufd's dirty tracking for live migration (drivers/iommu/iommufd/hw_pagetable.c,
 * io_pagetable.c; DIRTY-1..6): a paging HWPT allocated with DIRTY_TRACKING keeps a dirty bit per
 * IOVA page, set by DMA writes while tracking is on; user space turns tracking on and off and reads
 * (and clears) the bits of a mapped range.
 */
final class DirtySteps {

    private DirtySteps() {
    }

    /**
     * IOMMU_HWPT_SET_DIRTY_TRACKING (iommufd_hwpt_set_dirty_tracking, iopt_set_dirty_tracking): a
     * typed lookup of a paging HWPT, one without dirty ops refused; enabling clears every bit first
     * (a clean snapshot), disabling keeps them.
     */
    static Transition setDirtyTracking(ModelState s, SetDirtyTracking op) {
        Either<Transition, HwptPaging> hwpt = trackable(s, op.vm(), op.hwpt(), Rule.DIRTY_3);
        if (hwpt.isLeft()) {
            return hwpt.getLeft();
        }
        Dirty dirty = hwpt.get().dirty();
        Dirty next = op.enable() ? Dirty.ON : new Dirty(true, false, dirty.pages());
        return of(Result.done(), next.equals(dirty) ? s : s.putObject(op.vm(), op.hwpt(), hwpt.get().withDirty(next)),
                Rule.DIRTY_3);
    }

    /**
     * IOMMU_HWPT_GET_DIRTY_BITMAP (iommufd_hwpt_get_dirty_bitmap, iopt_read_and_clear_dirty_data): a
     * typed lookup, dirty ops, a range of at least a page. The walk's own errors are dropped
     * (iova_bitmap_for_each's return value is not kept): with tracking off the driver refuses and
     * nothing is reported or cleared; a range with a hole is read up to the hole. What is read reports
     * its dirty pages, and unless NO_CLEAR clears them (DIRTY-4).
     */
    static Transition getDirtyBitmap(ModelState s, GetDirtyBitmap op) {
        Either<Transition, HwptPaging> hwpt = trackable(s, op.vm(), op.hwpt(), Rule.DIRTY_4);
        if (hwpt.isLeft()) {
            return hwpt.getLeft();
        }
        HwptPaging paging = hwpt.get();
        if (op.pages() < 1 || op.iova() < 0) {
            return fail(s, Errno.EINVAL, Rule.DIRTY_4);
        }
        Dirty dirty = paging.dirty();
        if (!dirty.tracking()) {
            return of(new Result.DirtyPages(java.util.List.of()), s, Rule.DIRTY_4);
        }
        int read = 0; // the pages read: those mapped from iova on, up to the first hole
        while (read < op.pages() && (long) op.iova() + read <= Integer.MAX_VALUE
                && paging.pages().containsKey(op.iova() + read)) {
            read++;
        }
        int length = read;
        List<Integer> reported = dirty.pages().filter(p -> p >= op.iova() && p < (long) op.iova() + length).toList()
                .sorted();
        ModelState next = op.noClear() || reported.isEmpty() ? s
                : s.putObject(op.vm(), op.hwpt(), paging.withDirty(dirty.cleared(op.iova(), length)));
        return of(new Result.DirtyPages(reported.toJavaList()), next, Rule.DIRTY_4);
    }

    /** The paging HWPT named (a typed lookup: ENOENT), allocated with DIRTY_TRACKING (else EOPNOTSUPP). */
    private static Either<Transition, HwptPaging> trackable(ModelState s, int vm, int id, Rule rule) {
        if (!(s.object(vm, id).getOrNull() instanceof HwptPaging paging)) {
            return Either.left(fail(s, Errno.ENOENT, rule));
        }
        if (!paging.dirty().trackable()) {
            return Either.left(fail(s, Errno.EOPNOTSUPP, rule));
        }
        return Either.right(paging);
    }
}
