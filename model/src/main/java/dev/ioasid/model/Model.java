package dev.ioasid.model;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Operation.AllocFaultQueue;
import dev.ioasid.contract.Operation.AllocHwptNested;
import dev.ioasid.contract.Operation.AllocHwptPaging;
import dev.ioasid.contract.Operation.AllocIoas;
import dev.ioasid.contract.Operation.AllocPasid;
import dev.ioasid.contract.Operation.AllocSva;
import dev.ioasid.contract.Operation.AllocVdevice;
import dev.ioasid.contract.Operation.AllocViommu;
import dev.ioasid.contract.Operation.InvalidateViommu;
import dev.ioasid.contract.Operation.Attach;
import dev.ioasid.contract.Operation.Dma;
import dev.ioasid.contract.Operation.MmMap;
import dev.ioasid.contract.Operation.MmUnmap;
import dev.ioasid.contract.Operation.PageRequest;
import dev.ioasid.contract.Operation.QueryResponses;
import dev.ioasid.contract.Operation.ReadFaults;
import dev.ioasid.contract.Operation.Respond;
import dev.ioasid.contract.Operation.WriteStage1;
import dev.ioasid.contract.Operation.CopyArea;
import dev.ioasid.contract.Operation.GetDirtyBitmap;
import dev.ioasid.contract.Operation.SetDirtyTracking;
import dev.ioasid.contract.Operation.CreateSet;
import dev.ioasid.contract.Operation.Destroy;
import dev.ioasid.contract.Operation.Detach;
import dev.ioasid.contract.Operation.FreePasid;
import dev.ioasid.contract.Operation.FreeSet;
import dev.ioasid.contract.Operation.Invalidate;
import dev.ioasid.contract.Operation.MapArea;
import dev.ioasid.contract.Operation.QueryAreas;
import dev.ioasid.contract.Operation.QueryAttachment;
import dev.ioasid.contract.Operation.QueryObject;
import dev.ioasid.contract.Operation.QueryPages;
import dev.ioasid.contract.Operation.QueryPasid;
import dev.ioasid.contract.Operation.QuerySet;
import dev.ioasid.contract.Operation.Replace;
import dev.ioasid.contract.Operation.Unmap;
import dev.ioasid.contract.Operation.UnmapAll;

/**
 * The contract as a specification: given a state and an operation, which results are allowed and
 * what state follows each. It is pure: no I/O, no randomness, and contract errors are values.
 * Checking an implementation is asking {@code step(state, op).accept(observed)}.
 */
public final class Model {

    private Model() {
    }

    public static ModelState initial(Bounds bounds) {
        return ModelState.initial(bounds);
    }

    public static ModelState initial(Bounds bounds, Design design) {
        return ModelState.initial(bounds, design);
    }

    /** The initial state of a model whose page request groups reach their handler as {@code delivery} says. */
    public static ModelState initial(Bounds bounds, Design design, FaultDelivery delivery) {
        return ModelState.initial(bounds, design, delivery);
    }

    /**
     * Whether the operation leaves the state as it was whatever it returns: the queries. DMA is not
     * one of them: a write through a dirty-tracking HWPT leaves a dirty bit (DIRTY-5).
     */
    public static boolean neverChangesState(Operation op) {
        return op instanceof QuerySet || op instanceof QueryPasid || op instanceof QueryObject || op instanceof QueryAreas
                || op instanceof QueryPages || op instanceof QueryAttachment || op instanceof QueryResponses;
    }

    /**
     * Whether the operation is one of iommufd's calls the 2021 proposal does not have (GEN-3): the
     * vIOMMU calls, IOAS copy, maps at an IOVA the kernel chooses and the allowed IOVAs, and dirty
     * tracking.
     */
    public static boolean isIommufdOnlyCall(Operation op) {
        return op instanceof AllocViommu || op instanceof AllocVdevice || op instanceof InvalidateViommu
                || op instanceof CopyArea || op instanceof SetDirtyTracking || op instanceof GetDirtyBitmap
                || op instanceof Operation.MapAreaAuto || op instanceof Operation.AllowIovas;
    }

    /** Whether the operation is one of the IOASID set calls, which iommufd does not have (GEN-2). */
    public static boolean isSetCall(Operation op) {
        return SetSteps.isSetCall(op);
    }

    public static Transition step(ModelState s, Operation op) {
        // An ioctl iommufd does not have is refused before any argument is read (main.c, iommufd_fops_ioctl).
        if (s.bounds().iommufd() && SetSteps.isSetCall(op)) {
            return SetSteps.fail(s, Errno.ENOTTY, Rule.GEN_2);
        }
        if (!s.bounds().iommufd() && isIommufdOnlyCall(op)) {
            return SetSteps.fail(s, Errno.ENOTTY, Rule.GEN_3);
        }
        if (op.namesOutOfBounds(s.bounds())) {
            return SetSteps.fail(s, Errno.EINVAL, Rule.GEN_1);
        }
        if (op instanceof CreateSet o) return SetSteps.createSet(s, o);
        if (op instanceof FreeSet o) return SetSteps.freeSet(s, o);
        if (op instanceof QuerySet o) return SetSteps.querySet(s, o);
        if (op instanceof AllocPasid o) return SetSteps.allocPasid(s, o);
        if (op instanceof FreePasid o) return SetSteps.freePasid(s, o);
        if (op instanceof QueryPasid o) return SetSteps.queryPasid(s, o);
        if (op instanceof AllocIoas o) return ObjectSteps.allocIoas(s, o);
        if (op instanceof AllocHwptPaging o) return ObjectSteps.allocHwptPaging(s, o);
        if (op instanceof AllocHwptNested o) return ObjectSteps.allocHwptNested(s, o);
        if (op instanceof AllocFaultQueue o) return ObjectSteps.allocFaultQueue(s, o);
        if (op instanceof AllocSva o) return ObjectSteps.allocSva(s, o);
        if (op instanceof Destroy o) return ObjectSteps.destroy(s, o);
        if (op instanceof QueryObject o) return ObjectSteps.queryObject(s, o);
        if (op instanceof MapArea o) return IoasSteps.map(s, o);
        if (op instanceof Unmap o) return IoasSteps.unmap(s, o);
        if (op instanceof UnmapAll o) return IoasSteps.unmapAll(s, o);
        if (op instanceof CopyArea o) return IoasSteps.copy(s, o);
        if (op instanceof Operation.MapAreaAuto o) return IoasSteps.mapAuto(s, o);
        if (op instanceof Operation.AllowIovas o) return IoasSteps.allowIovas(s, o);
        if (op instanceof SetDirtyTracking o) return DirtySteps.setDirtyTracking(s, o);
        if (op instanceof GetDirtyBitmap o) return DirtySteps.getDirtyBitmap(s, o);
        if (op instanceof QueryAreas o) return IoasSteps.queryAreas(s, o);
        if (op instanceof QueryPages o) return IoasSteps.queryPages(s, o);
        if (op instanceof Invalidate o) return IoasSteps.invalidate(s, o);
        if (op instanceof AllocViommu o) return ViommuSteps.allocViommu(s, o);
        if (op instanceof AllocVdevice o) return ViommuSteps.allocVdevice(s, o);
        if (op instanceof InvalidateViommu o) return ViommuSteps.invalidateViommu(s, o);
        if (op instanceof Attach o) return AttachSteps.attach(s, o);
        if (op instanceof Replace o) return AttachSteps.replace(s, o);
        if (op instanceof Detach o) return AttachSteps.detach(s, o);
        if (op instanceof QueryAttachment o) return AttachSteps.queryAttachment(s, o);
        if (op instanceof MmMap o) return DmaSteps.mmMap(s, o);
        if (op instanceof MmUnmap o) return DmaSteps.mmUnmap(s, o);
        if (op instanceof WriteStage1 o) return DmaSteps.writeStage1(s, o);
        if (op instanceof Dma o) return DmaSteps.dma(s, o);
        if (op instanceof PageRequest o) return FaultSteps.pageRequest(s, o);
        if (op instanceof QueryResponses o) return FaultSteps.queryResponses(s, o);
        if (op instanceof Operation.DeliverFault o) return FaultSteps.deliverFault(s, o);
        if (op instanceof ReadFaults o) return FaultSteps.readFaults(s, o);
        if (op instanceof Respond o) return FaultSteps.respond(s, o);
        throw new AssertionError(op);
    }
}
