package dev.ioasid.model;

import static dev.ioasid.model.SetSteps.fail;
import static dev.ioasid.model.Transition.of;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Area;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation.AllowIovas;
import dev.ioasid.contract.Operation.CopyArea;
import dev.ioasid.contract.Operation.MapAreaAuto;
import dev.ioasid.contract.Operation.Invalidate;
import dev.ioasid.contract.Operation.MapArea;
import dev.ioasid.contract.Operation.QueryAreas;
import dev.ioasid.contract.Operation.QueryPages;
import dev.ioasid.contract.Operation.Unmap;
import dev.ioasid.contract.Operation.UnmapAll;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelState.ObjectKey;
import io.vavr.Tuple2;
import io.vavr.collection.List;
import io.vavr.collection.Seq;
import io.vavr.collection.SortedMap;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.function.UnaryOperator;

/** Layer B: mapping and unmapping an IOAS, and the paging HWPTs that mirror it (IOAS-*, HWPT-2/6/7). */
final class IoasSteps {

    private IoasSteps() {
    }

    static Transition map(ModelState s, MapArea op) {
        if (s.bounds().iommufd() && op.access() == Access.NONE) {
            // iommufd_ioas_map refuses a map without READABLE or WRITEABLE before it looks the IOAS up.
            return fail(s, Errno.EINVAL, Rule.IOAS_1);
        }
        Either<Transition, Ioas> ioas = ioas(s, op.vm(), op.ioas());
        if (ioas.isLeft()) {
            return ioas.getLeft();
        }
        var bounds = s.bounds();
        // Sums in 64 bits: a range whose end wraps a 32-bit int is outside the bounds, not inside them.
        if (op.pages() < 1 || op.access() == Access.NONE || op.iova() < 0 || (long) op.iova() + op.pages() > bounds.iovaPages()
                || op.host() < 0 || (long) op.host() + op.pages() > bounds.hostPages()) {
            return fail(s, Errno.EINVAL, Rule.IOAS_1);
        }
        if (ReservedIovas.reserved(s, op.vm(), op.ioas(), op.iova(), op.pages())) {
            // iopt_check_iova looks at the reserved ranges before the areas.
            return fail(s, Errno.EINVAL, Rule.RESV_3);
        }
        if (ioas.get().areaList().exists(a -> a.overlaps(op.iova(), op.pages()))) {
            return fail(s, Errno.EEXIST, Rule.IOAS_2);
        }
        Area area = new Area(op.iova(), op.pages(), op.host(), op.access());
        return of(Result.done(), withAreasAdded(s, op.vm(), op.ioas(), ioas.get(), List.of(area)), Rule.IOAS_3,
                Rule.HWPT_2);
    }

    static Transition unmap(ModelState s, Unmap op) {
        Either<Transition, Ioas> ioas = ioas(s, op.vm(), op.ioas());
        if (ioas.isLeft()) {
            return ioas.getLeft();
        }
        if (op.pages() < 1 || op.iova() < 0) {
            return fail(s, Errno.EINVAL, Rule.IOAS_4);
        }
        Seq<Area> hit = ioas.get().areaList().filter(a -> a.overlaps(op.iova(), op.pages()));
        if (hit.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.IOAS_5);
        }
        if (hit.exists(a -> !a.within(op.iova(), op.pages()))) {
            if (!s.bounds().iommufd()) {
                return fail(s, Errno.ENOENT, Rule.IOAS_5);
            }
            // iopt_unmap_iova_range removes the whole areas it meets, by IOVA, until the first one the
            // range cuts: those before it are gone when it returns ENOENT.
            Seq<Area> before = hit.takeWhile(a -> a.within(op.iova(), op.pages()));
            return of(Result.failed(Errno.ENOENT), before.isEmpty() ? s : removeAreas(s, op.vm(), op.ioas(), before),
                    Rule.IOAS_5, Rule.HWPT_2);
        }
        return of(new Result.Unmapped(hit.map(Area::pages).sum().intValue()), removeAreas(s, op.vm(), op.ioas(), hit),
                Rule.IOAS_6, Rule.HWPT_2);
    }

    /**
     * IOMMU_IOAS_MAP without FIXED_IOVA (iommufd_ioas_map, iopt_alloc_iova): the access, the IOAS
     * (typed), the pages and host range (IOAS-1), then any IOVA of the implementation's choice that is
     * not 0, a multiple of the alignment the kernel derives from the length and the host address, in
     * the allowed range if one is set (IOAS-12), within the bounds and clear of every area and every
     * reserved range (RESV-3); none:
     * ENOSPC. The lowest is what iommufd's first fit picks.
     */
    static Transition mapAuto(ModelState s, MapAreaAuto op) {
        if (op.access() == Access.NONE) {
            return fail(s, Errno.EINVAL, Rule.IOAS_1);
        }
        Either<Transition, Ioas> ioas = ioas(s, op.vm(), op.ioas());
        if (ioas.isLeft()) {
            return ioas.getLeft();
        }
        if (op.pages() < 1 || op.host() < 0 || (long) op.host() + op.pages() > s.bounds().hostPages()) {
            return fail(s, Errno.EINVAL, Rule.IOAS_1);
        }
        int alignment = autoIovaAlignment(op.pages(), op.host());
        List<Integer> legal = List.empty();
        for (long iova = alignment; iova + op.pages() <= s.bounds().iovaPages(); iova += alignment) {
            int at = (int) iova;
            if (ioas.get().allowed().holds(at, op.pages())
                    && !ioas.get().areaList().exists(a -> a.overlaps(at, op.pages()))
                    && !ReservedIovas.reserved(s, op.vm(), op.ioas(), at, op.pages())) {
                legal = legal.append(at);
            }
        }
        if (legal.isEmpty()) {
            return fail(s, Errno.ENOSPC, Rule.IOAS_11);
        }
        Ioas target = ioas.get();
        List<Rule> rules = List.of(Rule.IOAS_11, Rule.IOAS_3, Rule.HWPT_2);
        return new Transition.ChooseId(legal, rules, iova -> {
            Area area = new Area(iova, op.pages(), op.host(), op.access());
            return new Transition.Step(new Result.Mapped(iova),
                    withAreasAdded(s, op.vm(), op.ioas(), target, List.of(area)), rules);
        }, "iova");
    }

    /**
     * iopt_alloc_iova's alignment, in pages: the length rounded up to a power of two, no more than the
     * lowest set bit of the host address (none for address 0), and at most a huge page (512 pages of
     * 4 KiB, with transparent huge pages).
     */
    static int autoIovaAlignment(int pages, int host) {
        long byLength = Long.highestOneBit(pages) == pages ? pages : Long.highestOneBit(pages) << 1;
        long alignment = host == 0 ? byLength : Math.min(byLength, Integer.lowestOneBit(host));
        return (int) Math.min(alignment, HUGE_PAGE);
    }

    /** A 2 MiB huge page in 4 KiB pages: the kernel caps the alignment of a chosen IOVA there. */
    static final int HUGE_PAGE = 512;

    /**
     * IOMMU_IOAS_ALLOW_IOVAS (iommufd_ioas_allow_iovas, iopt_set_allow_iova) with one range or none:
     * the IOAS (typed), then the range (a negative start or length: EINVAL). It bounds only the IOVAs
     * the kernel chooses (IOAS-11); maps at a fixed IOVA and the areas already there are not checked.
     * A range a device reserves in the IOAS fails EADDRINUSE (RESV-4) and leaves the allowed range.
     */
    static Transition allowIovas(ModelState s, AllowIovas op) {
        Either<Transition, Ioas> ioas = ioas(s, op.vm(), op.ioas());
        if (ioas.isLeft()) {
            return ioas.getLeft();
        }
        if (op.pages() < 0 || op.iova() < 0) {
            return fail(s, Errno.EINVAL, Rule.IOAS_12);
        }
        if (op.pages() > 0 && ReservedIovas.reserved(s, op.vm(), op.ioas(), op.iova(), op.pages())) {
            return fail(s, Errno.EADDRINUSE, Rule.RESV_4);
        }
        ModelObject.IovaRange allowed = op.pages() == 0 ? ModelObject.IovaRange.ANY
                : new ModelObject.IovaRange(op.iova(), op.pages());
        return of(Result.done(), allowed.equals(ioas.get().allowed()) ? s
                : s.putObject(op.vm(), op.ioas(), ioas.get().withAllowed(allowed)), Rule.IOAS_12);
    }

    /**
     * IOMMU_IOAS_COPY with a fixed IOVA (iommufd_ioas_copy): the access, the source IOAS (typed), the
     * source range (at least a page, covered by areas without a hole, though it may start or end
     * inside one: iopt_get_pages takes slices), the destination IOAS (typed), the destination range
     * (within the bounds, overlapping no area), then WRITE on pages pinned read-only (iopt_insert_area).
     * Each slice becomes an area of its own, back to back from {@code iova}, independent of the
     * source's; the destination's paging HWPTs are filled (HWPT-2). All or nothing.
     */
    static Transition copy(ModelState s, CopyArea op) {
        if (op.access() == Access.NONE) {
            return fail(s, Errno.EINVAL, Rule.IOAS_10);
        }
        Either<Transition, Ioas> src = ioas(s, op.vm(), op.src());
        if (src.isLeft()) {
            return src.getLeft();
        }
        if (op.pages() < 1 || op.srcIova() < 0) {
            return fail(s, Errno.EINVAL, Rule.IOAS_10);
        }
        Option<List<Slice>> slices = slices(src.get(), op.srcIova(), op.pages());
        if (slices.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.IOAS_10);
        }
        Either<Transition, Ioas> dst = ioas(s, op.vm(), op.ioas());
        if (dst.isLeft()) {
            return dst.getLeft();
        }
        if (op.iova() < 0 || (long) op.iova() + op.pages() > s.bounds().iovaPages()) {
            return fail(s, Errno.EINVAL, Rule.IOAS_10);
        }
        if (ReservedIovas.reserved(s, op.vm(), op.ioas(), op.iova(), op.pages())) {
            return of(Result.failed(Errno.EINVAL), s, Rule.IOAS_10, Rule.RESV_3);
        }
        if (dst.get().areaList().exists(a -> a.overlaps(op.iova(), op.pages()))) {
            return of(Result.failed(Errno.EEXIST), s, Rule.IOAS_10, Rule.IOAS_2);
        }
        if (op.access().permits(Access.WRITE) && slices.get().exists(slice -> !slice.writable())) {
            return fail(s, Errno.EPERM, Rule.IOAS_10);
        }
        Ioas target = dst.get();
        io.vavr.collection.Set<Integer> writableBehind = target.writableBehind();
        List<Area> copied = List.empty();
        for (Slice slice : slices.get()) {
            Area area = new Area(op.iova() + (slice.iova() - op.srcIova()), slice.pages(), slice.host(), op.access());
            copied = copied.append(area);
            if (!op.access().permits(Access.WRITE) && slice.writable()) {
                writableBehind = writableBehind.add(area.iova());
            }
        }
        ModelState next = withAreasAdded(s, op.vm(), op.ioas(), target.withWritableBehind(writableBehind), copied);
        return of(Result.done(), next, Rule.IOAS_10, Rule.HWPT_2);
    }

    /** A part of a source area that a copy takes: where it is, the host pages, whether they are writable. */
    private record Slice(int iova, int pages, int host, boolean writable) {
    }

    /**
     * The parts of the source's areas that cover {@code [iova, iova + pages)}, in order; none if a
     * page of the range is mapped by no area (iopt_get_pages: ENOENT).
     */
    private static Option<List<Slice>> slices(Ioas src, int iova, int pages) {
        long end = (long) iova + pages;
        long at = iova;
        List<Slice> slices = List.empty();
        for (Area area : src.areaList()) {
            if (area.end() <= at) {
                continue;
            }
            if (area.iova() > at) {
                return Option.none();
            }
            long sliceEnd = Math.min(end, area.end());
            int offset = (int) (at - area.iova());
            slices = slices.append(new Slice((int) at, (int) (sliceEnd - at), area.host() + offset,
                    src.pagesWritable(area)));
            at = sliceEnd;
            if (at >= end) {
                return Option.some(slices);
            }
        }
        return Option.none();
    }

    static Transition unmapAll(ModelState s, UnmapAll op) {
        Either<Transition, Ioas> ioas = ioas(s, op.vm(), op.ioas());
        if (ioas.isLeft()) {
            return ioas.getLeft();
        }
        Seq<Area> all = ioas.get().areaList();
        return of(new Result.Unmapped(all.map(Area::pages).sum().intValue()), removeAreas(s, op.vm(), op.ioas(), all),
                Rule.IOAS_7, Rule.HWPT_2);
    }

    static Transition queryAreas(ModelState s, QueryAreas op) {
        Either<Transition, Ioas> ioas = ioas(s, op.vm(), op.ioas());
        if (ioas.isLeft()) {
            return ioas.getLeft();
        }
        return of(new Result.Areas(ioas.get().areaList().toJavaList()), s, Rule.IOAS_9);
    }

    static Transition queryPages(ModelState s, QueryPages op) {
        Option<ModelObject> target = s.object(op.vm(), op.id());
        if (target.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.OBJ_1);
        }
        if (target.get() instanceof Ioas ioas) {
            return of(new Result.Pages(Mirror.pagesOf(ioas.areas()).values().toJavaList()), s, Rule.HWPT_7);
        }
        if (target.get() instanceof HwptPaging hwpt) {
            return of(new Result.Pages(hwpt.pages().values().toJavaList()), s, Rule.HWPT_7, Rule.HWPT_2);
        }
        return fail(s, Errno.EINVAL, Rule.HWPT_7);
    }

    static Transition invalidate(ModelState s, Invalidate op) {
        Option<ModelObject> target = s.object(op.vm(), op.hwpt());
        if (target.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.OBJ_1);
        }
        if (s.bounds().iommufd() && !(target.get() instanceof HwptNested)) {
            // iommufd_hwpt_invalidate: ENOENT in Linux 6.8-6.12 (a typed lookup of a nested HWPT),
            // EINVAL from 6.13 (any kind, then a switch): both are iommufd.
            return new Transition.OneOf(io.vavr.collection.List.of(
                    new Transition.Step(Result.failed(Errno.EINVAL), s, io.vavr.collection.List.of(Rule.HWPT_6)),
                    new Transition.Step(Result.failed(Errno.ENOENT), s, io.vavr.collection.List.of(Rule.HWPT_6))));
        }
        Transition driver = invalidateRange(s, op, target.get());
        if (target.get() instanceof HwptNested nested && nested.viommu() != 0) {
            // A nested HWPT on a vIOMMU: the driver may take invalidations only through the vIOMMU
            // (arm-smmu-v3 has no cache_invalidate_user for it: EOPNOTSUPP before the entries are
            // read) or on the HWPT too (the selftest's mock driver).
            Transition.Step done = driver.canonical();
            return new Transition.OneOf(io.vavr.collection.List.of(
                    new Transition.Step(done.result(), done.next(), done.rules().append(Rule.VIOMMU_5)),
                    new Transition.Step(Result.failed(Errno.EOPNOTSUPP), s, io.vavr.collection.List.of(Rule.VIOMMU_5))));
        }
        return driver;
    }

    /** What a driver that invalidates a nested HWPT's own cache does with the request (HWPT-6, XLT-5): one step. */
    private static Transition invalidateRange(ModelState s, Invalidate op, ModelObject target) {
        if (s.bounds().iommufd() && op.pages() == 0 && op.iova() >= 0) {
            return of(Result.done(), s, Rule.HWPT_6); // an empty request array invalidates nothing and succeeds
        }
        if (!(target instanceof HwptNested nested) || op.pages() < 1 || op.iova() < 0) {
            return fail(s, Errno.EINVAL, Rule.HWPT_6);
        }
        HwptNested invalidated = nested.invalidated(op.iova(), op.pages());
        if (invalidated == nested) {
            return of(Result.done(), s, Rule.HWPT_6);
        }
        return of(Result.done(), s.putObject(op.vm(), op.hwpt(), invalidated), Rule.HWPT_6, Rule.XLT_5);
    }

    /** The IOAS named by {@code id}, or the failure: unknown (OBJ-1), not an IOAS (IOAS-8). */
    private static Either<Transition, Ioas> ioas(ModelState s, int vm, int id) {
        Option<ModelObject> target = s.object(vm, id);
        if (target.isEmpty()) {
            return Either.left(fail(s, Errno.ENOENT, Rule.OBJ_1));
        }
        if (!(target.get() instanceof Ioas ioas)) {
            // iommufd looks the IOAS up by type (iommufd_get_ioas): another kind is "not found".
            return Either.left(fail(s, s.bounds().iommufd() ? Errno.ENOENT : Errno.EINVAL, Rule.IOAS_8));
        }
        return Either.right(ioas);
    }

    /**
     * The IOAS with new areas (IOAS-3), and every paging HWPT built from it filled with them (HWPT-2).
     * What {@code ioas} knows of the new areas (their pinned writability) is kept.
     */
    private static ModelState withAreasAdded(ModelState s, int vm, int ioasId, Ioas ioas, List<Area> added) {
        SortedMap<Integer, Area> areas = ioas.areas();
        for (Area area : added) {
            areas = areas.put(area.iova(), area);
        }
        ModelState next = s.putObject(vm, ioasId, ioas.withAreas(areas));
        return updateMirrors(next, vm, ioasId, pages -> {
            for (Area area : added) {
                pages = Mirror.withArea(pages, area);
            }
            return pages;
        });
    }

    private static ModelState removeAreas(ModelState s, int vm, int ioasId, Seq<Area> removed) {
        Ioas ioas = (Ioas) s.object(vm, ioasId).get();
        SortedMap<Integer, Area> areas = ioas.areas().removeAll(removed.map(Area::iova));
        ModelState next = s.putObject(vm, ioasId, ioas.withAreas(areas));
        return updateMirrors(next, vm, ioasId, pages -> {
            for (Area area : removed) {
                pages = Mirror.withoutArea(pages, area);
            }
            return pages;
        });
    }

    /** Applies the same page-table update to every paging HWPT built from the IOAS (HWPT-2). */
    private static ModelState updateMirrors(ModelState s, int vm, int ioasId,
                                            UnaryOperator<SortedMap<Integer, dev.ioasid.contract.PageMapping>> update) {
        ModelState next = s;
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            if (entry._1.vm() == vm && entry._2 instanceof HwptPaging hwpt && hwpt.ioas() == ioasId) {
                next = next.putObject(vm, entry._1.id(), hwpt.withPages(update.apply(hwpt.pages())));
            }
        }
        return next;
    }
}
