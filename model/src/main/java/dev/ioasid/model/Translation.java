package dev.ioasid.model;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.FaultLevel;
import dev.ioasid.contract.PageMapping;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.Stage1Entry;
import dev.ioasid.model.ModelObject.Sva;
import dev.ioasid.model.ModelState.MmMapping;
import dev.ioasid.model.ModelState.MmPage;
import io.vavr.collection.List;
import io.vavr.collection.SortedMap;
import io.vavr.control.Option;

/** How an address translates through what is attached: the walk of the tables as they are. */
final class Translation {

    private Translation() {
    }

    /**
     * A possible DMA result and whether only a stale stage-1 entry explains it; for a translation,
     * the paging HWPT walked last and the IOVA page of it used ({@code hwpt} 0: none, an IOAS or SVA),
     * where a write leaves its dirty bit (DIRTY-5).
     */
    record Outcome(Result result, boolean stale, Rule rule, int hwpt, int page) {
        Outcome(Result result, boolean stale, Rule rule) {
            this(result, stale, rule, 0, 0);
        }
    }

    /** Every result a DMA at (device, PASID) may observe: one, or old-or-new under XLT-4. */
    static List<Outcome> dma(ModelState s, int device, int pasid, int iova, Access access) {
        Option<ModelObject> table = attachedTable(s, device, pasid);
        if (table.isEmpty()) {
            return List.of(new Outcome(new Result.Faulted(FaultLevel.BLOCKED), false, Rule.XLT_1));
        }
        ModelObject t = table.get();
        if (t instanceof HwptNested nested) {
            Stage1Entry entry = nested.entry(iova);
            Result current = throughNested(s, device, nested, entry, access);
            List<Outcome> outcomes = List.of(new Outcome(current, false, Rule.XLT_3, nested.parent(), entry.gpa()));
            for (Stage1Entry old : nested.stale().get(iova).getOrElse(io.vavr.collection.HashSet.empty())) {
                Result stale = throughNested(s, device, nested, old, access);
                if (!outcomes.exists(o -> o.result().equals(stale))) {
                    outcomes = outcomes.append(new Outcome(stale, true, Rule.XLT_4, nested.parent(), old.gpa()));
                }
            }
            return outcomes.sortBy(o -> o.result().toString());
        }
        if (t instanceof Sva sva) {
            Option<MmMapping> page = s.mm().get(new MmPage(sva.mm(), iova));
            Result result = page.isDefined() && page.get().access().permits(access)
                    ? new Result.Translated(page.get().host()) : new Result.Faulted(FaultLevel.SVA);
            return List.of(new Outcome(result, false, Rule.XLT_6));
        }
        Option<PageMapping> page = onePage(s, device, t, iova);
        Result result = page.isDefined() && page.get().access().permits(access)
                ? new Result.Translated(page.get().host()) : new Result.Faulted(FaultLevel.PAGING);
        int hwpt = t instanceof HwptPaging ? s.attached(device, s.handlingPasid(device, pasid)).get() : 0;
        return List.of(new Outcome(result, false, Rule.XLT_2, hwpt, iova));
    }

    /** The level a page request faults at, on the current tables (PRQ-2). */
    static FaultLevel requestLevel(ModelState s, int device, ModelObject table, RequestedPage request) {
        if (table instanceof HwptNested nested) {
            Result walked = throughNested(s, device, nested, nested.entry(request.iova()), request.access());
            return walked instanceof Result.Faulted f && f.level() == FaultLevel.STAGE2 ? FaultLevel.STAGE2
                    : FaultLevel.STAGE1;
        }
        return table instanceof Sva ? FaultLevel.SVA : FaultLevel.PAGING;
    }

    /** The table DMA and page requests at (device, PASID) go through: its own, or the RID's (PRQ-8). */
    static Option<ModelObject> attachedTable(ModelState s, int device, int pasid) {
        return s.attached(device, s.handlingPasid(device, pasid)).flatMap(id -> s.object(s.vmOf(device), id));
    }

    /** Stage 1 with the given entry, then stage 2 through the parent's pages (XLT-3). */
    private static Result throughNested(ModelState s, int device, HwptNested nested, Stage1Entry entry, Access access) {
        if (!entry.access().permits(access) || entry.access() == Access.NONE) {
            return new Result.Faulted(FaultLevel.STAGE1);
        }
        HwptPaging parent = (HwptPaging) s.object(s.vmOf(device), nested.parent()).get();
        Option<PageMapping> page = parent.pages().get(entry.gpa());
        return page.isDefined() && page.get().access().permits(access)
                ? new Result.Translated(page.get().host()) : new Result.Faulted(FaultLevel.STAGE2);
    }

    private static Option<PageMapping> onePage(ModelState s, int device, ModelObject table, int iova) {
        if (table instanceof HwptPaging paging) {
            return paging.pages().get(iova);
        }
        SortedMap<Integer, PageMapping> pages = Mirror.pagesOf(((Ioas) table).areas());
        return pages.get(iova);
    }
}
