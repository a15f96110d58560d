package dev.ioasid.reference;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.IoasidImplementation;
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
import dev.ioasid.contract.PasidState;
import dev.ioasid.contract.Result;
import dev.ioasid.reference.Objects.FaultQueue;
import dev.ioasid.reference.Objects.HwptNested;
import dev.ioasid.reference.Objects.HwptPaging;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.Ioas;
import dev.ioasid.reference.PasidSpace.IoasidData;
import dev.ioasid.reference.PasidSpace.IoasidSetStruct;
import java.util.function.Function;

/**
 * The reference implementation: mutable and shaped like the kernel (an ID allocator with a cyclic
 * cursor, per-VM object tables with refcounts, radix page tables, per-device attach tables). This
 * class is the ioctl boundary: it validates what the ioctl layer validates, calls the components
 * and turns {@code -errno} returns into {@link Result} values. It shares no code with the model.
 *
 * <p>Planted-bug variants subclass it and override one component factory.
 */
public class ReferenceImplementation implements IoasidImplementation {

    public static final ImplementationFactory FACTORY = new ImplementationFactory() {
        @Override public String name() { return "reference"; }

        @Override public IoasidImplementation create(Bounds bounds) { return new ReferenceImplementation(bounds); }
    };

    protected final Bounds bounds;
    private final PasidSpace pasids;
    private final ObjectTables objects;
    private final Iotlb iotlb;
    private final MmSpace mm;
    private final IoPagetableOps iopt;
    private final DmaPath dmaPath;
    private final IoPageFaults iopf;
    private final ObjectOps objectOps;
    private final DeviceAttach devices;
    private final ViommuOps viommus;

    public ReferenceImplementation(Bounds bounds) {
        this.bounds = bounds;
        this.pasids = newPasidSpace(bounds);
        this.objects = newObjectTables(bounds);
        this.iotlb = newIotlb();
        this.mm = newMmSpace(bounds, iotlb);
        this.iopt = newIoPagetableOps(bounds, iotlb);
        // The DMA path and the fault handler look up attachments when they run, after construction.
        AttachLookup attached = new AttachLookup() {
            @Override public IommufdObject attachedAt(int device, int pasid) {
                return devices.attachedAt(device, pasid);
            }

            @Override public int handle(int device, int pasid) {
                return devices.handle(device, pasid);
            }
        };
        this.dmaPath = new DmaPath(bounds, attached, mm, iotlb);
        this.iopf = newIoPageFaults(bounds, attached, dmaPath, mm);
        this.objectOps = newObjectOps(bounds, objects, iopt, iopf);
        this.devices = newDeviceAttach(bounds, objects, pasids, iotlb, iopf);
        this.devices.autoDomainsFrom(objectOps);
        this.devices.reservationsIn(iopt);
        this.viommus = newViommuOps(bounds, objects, iotlb);
        this.objectOps.viommusFrom(viommus);
    }

    protected PasidSpace newPasidSpace(Bounds bounds) {
        return new PasidSpace(bounds);
    }

    protected ObjectTables newObjectTables(Bounds bounds) {
        return new ObjectTables(bounds);
    }

    protected Iotlb newIotlb() {
        return new Iotlb();
    }

    protected MmSpace newMmSpace(Bounds bounds, Iotlb iotlb) {
        return new MmSpace(bounds, iotlb);
    }

    protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
        return new IoPagetableOps(bounds, iotlb);
    }

    protected IoPageFaults newIoPageFaults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
        return new IoPageFaults(bounds, attached, dmaPath, mm);
    }

    protected ObjectOps newObjectOps(Bounds bounds, ObjectTables objects, IoPagetableOps iopt, IoPageFaults iopf) {
        return new ObjectOps(bounds, objects, iopt, iopf);
    }

    protected ViommuOps newViommuOps(Bounds bounds, ObjectTables objects, Iotlb iotlb) {
        return new ViommuOps(bounds, objects, iotlb);
    }

    protected DeviceAttach newDeviceAttach(Bounds bounds, ObjectTables objects, PasidSpace pasids, Iotlb iotlb,
                                           IoPageFaults iopf) {
        return new DeviceAttach(bounds, objects, pasids, iotlb, iopf);
    }

    @Override
    public Result apply(Operation op) {
        // iommufd has no IOASID set ioctls: the dispatcher answers ENOTTY before reading any argument.
        if (bounds.iommufd() && isSetCall(op)) {
            return errno(Err.ENOTTY);
        }
        // The 2021 proposal has no vIOMMU, IOAS copy or dirty tracking ioctls.
        if (!bounds.iommufd() && isIommufdOnlyCall(op)) {
            return errno(Err.ENOTTY);
        }
        // The ioctl layer rejects a VM, device or mm that does not exist before any lookup.
        if (op.namesOutOfBounds(bounds)) {
            return errno(Err.EINVAL);
        }
        if (op instanceof CreateSet o) return status(pasids.setAlloc(o.vm(), o.quota()));
        if (op instanceof FreeSet o) return status(pasids.setFree(o.vm()));
        if (op instanceof QuerySet o) return querySet(o.vm());
        if (op instanceof AllocPasid o) return allocated(pasids.alloc(o.vm(), o.min(), o.max()));
        if (op instanceof FreePasid o) return status(pasids.free(o.vm(), o.pasid()));
        if (op instanceof QueryPasid o) return queryPasid(o.vm(), o.pasid());
        if (op instanceof AllocIoas o) return allocated(objectOps.allocIoas(o.vm()));
        if (op instanceof AllocHwptPaging o) {
            return allocated(objectOps.allocHwptPaging(o.vm(), o.ioas(), o.nestParent(), o.allocPasid(), o.fault(),
                    o.dirtyTracking()));
        }
        if (op instanceof AllocHwptNested o) {
            return allocated(objectOps.allocHwptNested(o.vm(), o.parent(), o.allocPasid(), o.fault()));
        }
        if (op instanceof AllocFaultQueue o) return allocated(objectOps.allocFaultQueue(o.vm()));
        if (op instanceof AllocSva o) return allocated(objectOps.allocSva(o.vm(), o.mm()));
        if (op instanceof Destroy o) return status(objectOps.destroy(o.vm(), o.id()));
        if (op instanceof QueryObject o) return queryObject(o.vm(), o.id());
        if (op instanceof MapArea o) {
            if (bounds.iommufd() && o.access() == Access.NONE) {
                return errno(Err.EINVAL); // iommufd_ioas_map checks the flags before the IOAS lookup
            }
            return onIoas(o.vm(), o.ioas(), ioas -> status(iopt.map(ioas, o.iova(), o.pages(), o.host(), o.access())));
        }
        if (op instanceof Unmap o) return onIoas(o.vm(), o.ioas(), ioas -> unmapped(iopt.unmap(ioas, o.iova(), o.pages())));
        if (op instanceof UnmapAll o) return onIoas(o.vm(), o.ioas(), ioas -> unmapped(iopt.unmapAll(ioas)));
        if (op instanceof Operation.CopyArea o) return copy(o);
        if (op instanceof Operation.MapAreaAuto o) {
            if (o.access() == Access.NONE) {
                return errno(Err.EINVAL);
            }
            return onIoas(o.vm(), o.ioas(), ioas -> {
                int iova = iopt.mapAuto(ioas, o.pages(), o.host(), o.access());
                return Err.isErr(iova) ? errno(iova) : new Result.Mapped(iova);
            });
        }
        if (op instanceof Operation.AllowIovas o) {
            return onIoas(o.vm(), o.ioas(), ioas -> status(iopt.allowIovas(ioas, o.iova(), o.pages())));
        }
        if (op instanceof Operation.SetDirtyTracking o) return status(objectOps.setDirtyTracking(o.vm(), o.hwpt(), o.enable()));
        if (op instanceof Operation.GetDirtyBitmap o) {
            int[] error = new int[1];
            java.util.List<Integer> dirty = objectOps.readDirty(o.vm(), o.hwpt(), o.iova(), o.pages(), o.noClear(), error);
            return dirty == null ? errno(error[0]) : new Result.DirtyPages(dirty);
        }
        if (op instanceof QueryAreas o) return onIoas(o.vm(), o.ioas(), ioas -> new Result.Areas(iopt.areas(ioas)));
        if (op instanceof QueryPages o) return queryPages(o.vm(), o.id());
        if (op instanceof Invalidate o) return invalidate(o);
        if (op instanceof AllocViommu o) return allocated(viommus.allocViommu(o.device(), o.hwpt()));
        if (op instanceof AllocVdevice o) return allocated(viommus.allocVdevice(o.device(), o.viommu(), o.virtId()));
        if (op instanceof InvalidateViommu o) {
            return status(viommus.invalidate(o.vm(), o.viommu(), o.virtId(), o.iova(), o.pages()));
        }
        if (op instanceof Attach o) return attached(devices.attach(o.device(), o.pasid(), o.table()));
        if (op instanceof Replace o) return attached(devices.replace(o.device(), o.pasid(), o.table()));
        if (op instanceof Detach o) return status(devices.detach(o.device(), o.pasid()));
        if (op instanceof QueryAttachment o) {
            IommufdObject table = devices.attachedAt(o.device(), o.pasid());
            return new Result.AttachedTable(table == null ? 0 : table.id);
        }
        if (op instanceof MmMap o) return status(mm.map(o.mm(), o.page(), o.host(), o.access()));
        if (op instanceof MmUnmap o) return status(mm.unmap(o.mm(), o.page()));
        if (op instanceof WriteStage1 o) return writeStage1(o);
        if (op instanceof Dma o) return dmaPath.dma(o.device(), o.pasid(), o.iova(), o.access());
        if (op instanceof PageRequest o) {
            return status(iopf.pageRequest(o.device(), o.pasid(), o.iova(), o.access(), o.group(), o.last()));
        }
        if (op instanceof QueryResponses o) return new Result.Responses(iopf.responses(o.device()));
        // A group goes to its handler as it completes (io-pgfault.c): none ever waits to be delivered.
        if (op instanceof Operation.DeliverFault) return errno(Err.ENOENT);
        if (op instanceof ReadFaults o) return onFaultQueue(o.vm(), o.queue(), iopf::read);
        if (op instanceof Respond o) {
            return onFaultQueue(o.vm(), o.queue(), queue -> status(iopf.respond(queue, o.cookie(), o.code())));
        }
        throw new AssertionError(op);
    }

    private Result querySet(int vm) {
        IoasidSetStruct set = pasids.set(vm);
        return set == null ? errno(Err.ENOENT) : new Result.SetUsage(set.quota, set.nrIoasids);
    }

    private Result queryPasid(int vm, int pasid) {
        IoasidData data = pasids.lookup(vm, pasid);
        if (data == null) {
            return errno(pasids.lookupError(vm, pasid));
        }
        return new Result.PasidStatus(data.freePending ? PasidState.FREE_PENDING : PasidState.ACTIVE, data.refs);
    }

    private Result queryObject(int vm, int id) {
        IommufdObject obj = objects.lookup(vm, id);
        return obj == null ? errno(Err.ENOENT) : new Result.ObjectStatus(obj.kind, obj.users);
    }

    private Result queryPages(int vm, int id) {
        IommufdObject obj = objects.lookup(vm, id);
        if (obj == null) {
            return errno(Err.ENOENT);
        }
        if (obj instanceof Ioas ioas) {
            return new Result.Pages(iopt.pages(ioas));
        }
        if (obj instanceof HwptPaging hwpt) {
            return new Result.Pages(hwpt.table.walk());
        }
        return errno(Err.EINVAL);
    }

    private Result invalidate(Invalidate op) {
        IommufdObject obj = objects.lookup(op.vm(), op.hwpt());
        if (obj == null) {
            return errno(Err.ENOENT);
        }
        if (!(obj instanceof HwptNested nested)) {
            return errno(Err.EINVAL);
        }
        if (bounds.iommufd() && op.pages() == 0 && op.iova() >= 0) {
            return Result.done(); // iommufd_hwpt_invalidate: entry_num 0 succeeds
        }
        if (op.pages() < 1 || op.iova() < 0) {
            return errno(Err.EINVAL);
        }
        iotlb.flushStage1(nested, op.iova(), op.pages());
        return Result.done();
    }

    /**
     * iommufd_ioas_copy with IOMMU_IOAS_MAP_FIXED_IOVA: the flags, the source IOAS (typed), its pages
     * (iopt_get_pages), the destination IOAS (typed), then the mapping (iopt_map_pages).
     */
    private Result copy(Operation.CopyArea op) {
        if (op.access() == Access.NONE) {
            return errno(Err.EINVAL);
        }
        IommufdObject src = objects.lookup(op.vm(), op.src());
        if (!(src instanceof Ioas source)) {
            return errno(Err.ENOENT);
        }
        java.util.List<Objects.IoptArea> slices = new java.util.ArrayList<>();
        int got = iopt.getPages(source, op.srcIova(), op.pages(), slices);
        if (Err.isErr(got)) {
            return errno(got);
        }
        IommufdObject dst = objects.lookup(op.vm(), op.ioas());
        if (!(dst instanceof Ioas target)) {
            return errno(Err.ENOENT);
        }
        return status(iopt.mapPages(target, op.iova(), slices, op.srcIova(), op.access()));
    }

    /** The guest writes its stage-1 PTE straight into its memory; the IOMMU learns of it on invalidate. */
    private Result writeStage1(WriteStage1 op) {
        IommufdObject obj = objects.lookup(op.vm(), op.hwpt());
        if (obj == null) {
            return errno(Err.ENOENT);
        }
        if (!(obj instanceof HwptNested nested) || !bounds.isIova(op.iova()) || !bounds.isIova(op.gpa())) {
            return errno(Err.EINVAL);
        }
        nested.stage1[op.iova()] = IoPageTable.pte(op.gpa(), op.access());
        return Result.done();
    }

    private Result onFaultQueue(int vm, int id, Function<FaultQueue, Result> action) {
        IommufdObject obj = objects.lookup(vm, id);
        if (obj == null) {
            return errno(Err.ENOENT);
        }
        return obj instanceof FaultQueue queue ? action.apply(queue) : errno(Err.EINVAL);
    }

    private Result onIoas(int vm, int id, Function<Ioas, Result> action) {
        IommufdObject obj = objects.lookup(vm, id);
        if (obj == null) {
            return errno(Err.ENOENT);
        }
        if (obj instanceof Ioas ioas) {
            return action.apply(ioas);
        }
        // iommufd_get_ioas is a typed lookup: another kind is not found.
        return errno(bounds.iommufd() ? Err.ENOENT : Err.EINVAL);
    }

    private static boolean isIommufdOnlyCall(Operation op) {
        return op instanceof AllocViommu || op instanceof AllocVdevice || op instanceof InvalidateViommu
                || op instanceof Operation.CopyArea || op instanceof Operation.SetDirtyTracking
                || op instanceof Operation.GetDirtyBitmap || op instanceof Operation.MapAreaAuto
                || op instanceof Operation.AllowIovas;
    }

    private static boolean isSetCall(Operation op) {
        return op instanceof CreateSet || op instanceof FreeSet || op instanceof QuerySet || op instanceof AllocPasid
                || op instanceof FreePasid || op instanceof QueryPasid;
    }

    private static Result status(int ret) {
        return Err.isErr(ret) ? errno(ret) : Result.done();
    }

    private static Result allocated(int ret) {
        return Err.isErr(ret) ? errno(ret) : new Result.Allocated(ret);
    }

    /** An attach or replace: under iommufd it returns the pt_id of the HWPT attached. */
    private static Result attached(int ret) {
        return ret > 0 ? new Result.Allocated(ret) : status(ret);
    }

    private static Result unmapped(int ret) {
        return Err.isErr(ret) ? errno(ret) : new Result.Unmapped(ret);
    }

    private static Result errno(int ret) {
        return Result.failed(Err.toErrno(ret));
    }
}
