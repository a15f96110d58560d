package dev.ioasid.mutants;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.reference.AttachLookup;
import dev.ioasid.reference.DeviceAttach;
import dev.ioasid.reference.DmaPath;
import dev.ioasid.reference.IoPageFaults;
import dev.ioasid.reference.IoPagetableOps;
import dev.ioasid.reference.Iotlb;
import dev.ioasid.reference.MmSpace;
import dev.ioasid.reference.ObjectTables;
import dev.ioasid.reference.Objects.FaultQueue;
import dev.ioasid.reference.Objects.HwptNested;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.Ioas;
import dev.ioasid.reference.Objects.IopfGroup;
import dev.ioasid.reference.Objects.IoptArea;
import dev.ioasid.reference.Objects.Sva;
import dev.ioasid.reference.PasidSpace;
import dev.ioasid.reference.ReferenceImplementation;

/** Planted bugs in DMA translation, page requests and fault queues. */
final class FaultMutants {

    private FaultMutants() {
    }

    /** A reference implementation whose fault handling is replaced. */
    private abstract static class WithFaults extends ReferenceImplementation {
        WithFaults(Bounds bounds) {
            super(bounds);
        }

        abstract IoPageFaults faults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm);

        @Override protected IoPageFaults newIoPageFaults(Bounds bounds, AttachLookup attached, DmaPath dmaPath,
                                                         MmSpace mm) {
            return faults(bounds, attached, dmaPath, mm);
        }
    }

    /**
     * The nested domain's handler takes every group, stage-2 faults included: user space is asked
     * to fix what only the kernel can. Shortest trace (8): allocIoas; allocHwptPaging(NEST_PARENT);
     * allocFaultQueue; allocHwptNested(fault); attach(dev=1, pasid=none); writeStage1(iova=0 -> gpa=0,
     * not mapped in stage 2); pageRequest(iova=0, last); readFaults -> the group instead of nothing.
     */
    static final class Stage2ToUserQueue extends WithFaults {
        Stage2ToUserQueue(Bounds bounds) {
            super(bounds);
        }

        @Override IoPageFaults faults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
            return new IoPageFaults(bounds, attached, dmaPath, mm) {
                @Override protected void handleGroup(DeviceSpec spec, IopfGroup group) {
                    IommufdObject table = attached.attachedAt(group.device, group.pasid);
                    if (spec.pri() && table instanceof HwptNested nested && nested.fault != null) {
                        deliver(nested.fault, group);
                    } else {
                        super.handleGroup(spec, group);
                    }
                }
            };
        }
    }

    /**
     * Both the driver's handler and the page table's get the group: the device is answered INVALID
     * by one while user space still holds the group. Shortest trace (6): allocIoas; allocFaultQueue;
     * allocHwptPaging(fault); attach(dev=1, pasid=none); pageRequest(last); queryResponses -> an
     * INVALID response where none is due.
     */
    static final class GroupToTwoOwners extends WithFaults {
        GroupToTwoOwners(Bounds bounds) {
            super(bounds);
        }

        @Override IoPageFaults faults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
            return new IoPageFaults(bounds, attached, dmaPath, mm) {
                @Override protected void deliver(FaultQueue queue, IopfGroup group) {
                    super.deliver(queue, group);
                    respondNow(group, ResponseCode.INVALID);
                }
            };
        }
    }

    /**
     * Detach and replace forget the groups the old owner still holds: the device waits forever.
     * Shortest trace (7): allocIoas; allocFaultQueue; allocHwptPaging(fault); attach; pageRequest(last);
     * detach; queryResponses -> nothing instead of INVALID.
     */
    static final class NoResponseOnDetach extends WithFaults {
        NoResponseOnDetach(Bounds bounds) {
            super(bounds);
        }

        @Override IoPageFaults faults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
            return new IoPageFaults(bounds, attached, dmaPath, mm) {
                @Override protected void answerAbandoned(FaultQueue queue, int device, int pasid) {
                }
            };
        }
    }

    /**
     * Detach and replace leave the point's partial groups: the rest of a group from before reaches the
     * next owner. Shortest trace (8): allocIoas; allocFaultQueue; allocHwptPaging(fault); attach(ioas);
     * pageRequest(group=0); replace(hwpt); pageRequest(group=0, last); readFaults -> a group of two
     * requests instead of one.
     */
    static final class PartialKeptOnDetach extends WithFaults {
        PartialKeptOnDetach(Bounds bounds) {
            super(bounds);
        }

        @Override IoPageFaults faults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
            return new IoPageFaults(bounds, attached, dmaPath, mm) {
                @Override protected void discardPartial(int device, int pasid) {
                }
            };
        }
    }

    /**
     * A cookie stays in the response table after its response: the group can be answered twice.
     * Shortest trace (8): allocIoas; allocFaultQueue; allocHwptPaging(fault); attach; pageRequest(last);
     * readFaults; respond(cookie); respond(cookie) -> ok instead of EINVAL.
     */
    static final class CookieReusable extends WithFaults {
        CookieReusable(Bounds bounds) {
            super(bounds);
        }

        @Override IoPageFaults faults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
            return new IoPageFaults(bounds, attached, dmaPath, mm) {
                @Override protected IopfGroup takeResponse(FaultQueue queue, int cookie) {
                    return queue.response.get(cookie);
                }
            };
        }
    }

    /**
     * Every request is handled as a group of its own, last or not: partial groups are answered.
     * Shortest trace (2): pageRequest(dev=1, pasid=none, not last) where nothing is attached;
     * queryResponses -> INVALID instead of nothing.
     */
    static final class PartialGroupDelivered extends WithFaults {
        PartialGroupDelivered(Bounds bounds) {
            super(bounds);
        }

        @Override IoPageFaults faults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
            return new IoPageFaults(bounds, attached, dmaPath, mm) {
                @Override protected boolean completesGroup(boolean last) {
                    return true;
                }
            };
        }
    }

    /**
     * The kernel's SVA handler answers SUCCESS without looking at the process's pages.
     * Shortest trace (6): createSet; allocPasid; allocSva; attach(dev=1, pasid, sva);
     * pageRequest(last) on an unmapped page; queryResponses -> SUCCESS instead of INVALID.
     */
    static final class SvaUnmappedSuccess extends WithFaults {
        SvaUnmappedSuccess(Bounds bounds) {
            super(bounds);
        }

        @Override IoPageFaults faults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
            return new IoPageFaults(bounds, attached, dmaPath, mm) {
                @Override protected void handleGroup(DeviceSpec spec, IopfGroup group) {
                    if (spec.pri() && attached.attachedAt(group.device, group.pasid) instanceof Sva) {
                        respondNow(group, ResponseCode.SUCCESS);
                    } else {
                        super.handleGroup(spec, group);
                    }
                }
            };
        }
    }

    /**
     * Replace answers the point's groups before it checks the new table: a replace that fails has
     * already abandoned them. Shortest trace (7): allocIoas; allocFaultQueue; allocHwptPaging(fault);
     * attach; pageRequest(last); replace(table=0) -> ENOENT; queryResponses -> INVALID instead of nothing.
     */
    static final class ResponseBeforeFailedReplace extends ReferenceImplementation {
        ResponseBeforeFailedReplace(Bounds bounds) {
            super(bounds);
        }

        @Override protected DeviceAttach newDeviceAttach(Bounds bounds, ObjectTables objects, PasidSpace pasids,
                                                         Iotlb iotlb, IoPageFaults iopf) {
            return new DeviceAttach(bounds, objects, pasids, iotlb, iopf) {
                @Override public int replace(int device, int pasid, int tableId) {
                    IommufdObject old = attachedAt(device, pasid);
                    if (old != null) {
                        iopf.abandonPoint(device, pasid, old);
                    }
                    return super.replace(device, pasid, tableId);
                }
            };
        }
    }

    /**
     * Unmap forgets to flush the IOTLB: the device keeps reaching pages user space gave back.
     * Shortest trace (6): allocIoas; map(iova=0); attach(dev=1, pasid=none, ioas); dma -> ok;
     * unmap(iova=0); dma -> ok(host) instead of fault(PAGING).
     */
    static final class IotlbKeptAfterUnmap extends ReferenceImplementation {
        IotlbKeptAfterUnmap(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected void flushIotlb(Ioas ioas, IoptArea area) {
                }
            };
        }
    }

    /**
     * Stage-1 invalidate does not reach the IOTLB: the old translation outlives the invalidate.
     * Shortest trace (10): allocIoas; map; allocHwptPaging(NEST_PARENT); allocHwptNested; attach;
     * writeStage1(iova=0); dma -> ok; writeStage1(iova=0, NONE); invalidate; dma -> ok instead of
     * fault(STAGE1).
     */
    static final class InvalidateNotFlushed extends ReferenceImplementation {
        InvalidateNotFlushed(Bounds bounds) {
            super(bounds);
        }

        @Override protected Iotlb newIotlb() {
            return new Iotlb() {
                @Override protected void flushStage1(HwptNested nested, int iova, int pages) {
                }
            };
        }
    }

    /**
     * The stage-1 invalidate takes its length for the end of the range: [iova, pages) instead of
     * [iova, iova + pages), so a range that starts past page 0 flushes too little (nothing at all
     * when pages <= iova). Shortest trace (10), as invalidate-not-flushed's with the entry at page 1:
     * allocIoas; map; allocHwptPaging(NEST_PARENT); allocHwptNested; writeStage1(iova=1); attach;
     * dma -> ok; writeStage1(iova=1, other gpa); invalidate(iova=1, pages=1); dma -> the old page.
     */
    static final class InvalidateLengthAsEnd extends ReferenceImplementation {
        InvalidateLengthAsEnd(Bounds bounds) {
            super(bounds);
        }

        @Override protected Iotlb newIotlb() {
            return new Iotlb() {
                @Override protected void flushStage1(HwptNested nested, int iova, int pages) {
                    super.flushStage1(nested, iova, Math.max(0, pages - iova));
                }
            };
        }
    }

    /**
     * The mmu notifier is not wired to the IOMMU: after the process unmaps a page, SVA DMA still
     * reaches it. Shortest trace (8): createSet; allocPasid; allocSva; attach(dev=1, pasid, sva);
     * mmMap(page=0); dma -> ok; mmUnmap(page=0); dma -> ok instead of fault(SVA).
     */
    static final class MmUnmapNotFlushed extends ReferenceImplementation {
        MmUnmapNotFlushed(Bounds bounds) {
            super(bounds);
        }

        @Override protected MmSpace newMmSpace(Bounds bounds, Iotlb iotlb) {
            return new MmSpace(bounds, iotlb) {
                @Override protected void notifyInvalidate(int mm, int page) {
                }
            };
        }
    }
}
