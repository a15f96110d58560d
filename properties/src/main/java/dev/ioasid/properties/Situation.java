package dev.ioasid.properties;

import dev.ioasid.contract.Operation;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import java.util.EnumSet;

/**
 * Situations known to be rare in random sequences and known to hide bugs: a run should reach each
 * of them in more than a handful of sequences, or its verdict says little about them (the run's
 * health warnings, {@link Health}). Each is recognised from a checked step and the model's states
 * around it. (A fault queue destroyed with groups left in it, FLT-6, is not among them: a queue is
 * busy while an HWPT refers to it, and detaching the HWPT answers its groups first, FLT-5.)
 */
public enum Situation {
    STALE_WINDOW("a DMA read a stage-1 entry rewritten since its last invalidate (XLT-4: old or new allowed)",
            "longer sequences (--length) write, translate and rewrite more stage-1 entries"),
    STALE_INVALIDATED("an invalidate ended a stale stage-1 entry (XLT-5)",
            "longer sequences (--length); more IOVA pages in the bounds spread the entries"),
    FAULT_TO_USER_QUEUE("a page request group reached a user fault queue (PRQ-4)",
            "a PRI-capable device and room for a fault queue in the bounds; longer sequences (--length)"),
    USER_RESPONSE("user space answered a group it had read (FLT-4)",
            "longer sequences (--length) read and answer more of the groups they queue"),
    ANSWERED_AT_DETACH("a detach or replace answered a group still outstanding (FLT-5)",
            "longer sequences (--length); more group indices (\"groups\") in the bounds"),
    DIRTY_PAGE_READ("a dirty bitmap read reported a page a DMA wrote (DIRTY-4, DIRTY-5; iommufd)",
            "a device with \"dirtyTracking\": true in the bounds; longer sequences (--length)");

    private final String description;
    private final String knob;

    Situation(String description, String knob) {
        this.description = description;
        this.knob = knob;
    }

    /** Whether the profile has the calls that reach it (dirty tracking is iommufd's). */
    public boolean reachableUnder(dev.ioasid.contract.Profile profile) {
        return this != DIRTY_PAGE_READ || profile == dev.ioasid.contract.Profile.IOMMUFD;
    }

    public String description() {
        return description;
    }

    /** What would reach it more often. */
    public String knob() {
        return knob;
    }

    /** The situations an accepted step reached, from the model's states before and after it. */
    static EnumSet<Situation> reached(StepRecord step, ModelState before, ModelState after) {
        EnumSet<Situation> reached = EnumSet.noneOf(Situation.class);
        Operation op = step.op();
        if (op instanceof Operation.Dma dma && readsStaleEntry(before, dma)) {
            reached.add(STALE_WINDOW);
        }
        if ((op instanceof Operation.Invalidate || op instanceof Operation.InvalidateViommu)
                && staleEntries(after) < staleEntries(before)) {
            reached.add(STALE_INVALIDATED);
        }
        if (op instanceof Operation.PageRequest && step.rules().contains(Rule.PRQ_4)) {
            reached.add(FAULT_TO_USER_QUEUE);
        }
        if (op instanceof Operation.GetDirtyBitmap && step.observed() instanceof dev.ioasid.contract.Result.DirtyPages d
                && !d.iovas().isEmpty()) {
            reached.add(DIRTY_PAGE_READ);
        }
        boolean answered = after.answered().size() > before.answered().size();
        if (op instanceof Operation.Respond && answered) {
            reached.add(USER_RESPONSE);
        }
        if ((op instanceof Operation.Detach || op instanceof Operation.Replace) && answered) {
            reached.add(ANSWERED_AT_DETACH);
        }
        return reached;
    }

    /** Whether the DMA goes through a nested HWPT whose entry at its IOVA was rewritten since its last invalidate. */
    private static boolean readsStaleEntry(ModelState s, Operation.Dma dma) {
        if (s.bounds().device(dma.device()).isEmpty()) {
            return false;
        }
        int pasid = s.handlingPasid(dma.device(), dma.pasid());
        return s.attached(dma.device(), pasid).flatMap(table -> s.object(s.vmOf(dma.device()), table))
                .exists(table -> table instanceof ModelObject.HwptNested nested && nested.stale().containsKey(dma.iova()));
    }

    private static int staleEntries(ModelState s) {
        int stale = 0;
        for (var object : s.objects().values()) {
            if (object instanceof ModelObject.HwptNested nested) {
                stale += nested.stale().size();
            }
        }
        return stale;
    }
}
