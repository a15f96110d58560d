package dev.ioasid.tck;

import static dev.ioasid.contract.Errno.EACCES;
import static dev.ioasid.contract.Errno.EADDRINUSE;
import static dev.ioasid.contract.Errno.EBUSY;
import static dev.ioasid.contract.Errno.EEXIST;
import static dev.ioasid.contract.Errno.EINVAL;
import static dev.ioasid.contract.Errno.ENOENT;
import static dev.ioasid.contract.Errno.ENOSPC;
import static dev.ioasid.contract.Errno.EOPNOTSUPP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Area;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.ReservedRange;
import dev.ioasid.contract.DeviceResponse;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.FaultGroup;
import dev.ioasid.contract.FaultLevel;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.ObjectKind;
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
import dev.ioasid.contract.Operation.CreateSet;
import dev.ioasid.contract.Operation.Destroy;
import dev.ioasid.contract.Operation.Detach;
import dev.ioasid.contract.Operation.Dma;
import dev.ioasid.contract.Operation.FreePasid;
import dev.ioasid.contract.Operation.FreeSet;
import dev.ioasid.contract.Operation.Invalidate;
import dev.ioasid.contract.Operation.MapArea;
import dev.ioasid.contract.Operation.MmMap;
import dev.ioasid.contract.Operation.MmUnmap;
import dev.ioasid.contract.Operation.PageRequest;
import dev.ioasid.contract.Operation.QueryAreas;
import dev.ioasid.contract.Operation.QueryAttachment;
import dev.ioasid.contract.Operation.QueryObject;
import dev.ioasid.contract.Operation.QueryPages;
import dev.ioasid.contract.Operation.QueryPasid;
import dev.ioasid.contract.Operation.QueryResponses;
import dev.ioasid.contract.Operation.ReadFaults;
import dev.ioasid.contract.Operation.QuerySet;
import dev.ioasid.contract.Operation.Replace;
import dev.ioasid.contract.Operation.Respond;
import dev.ioasid.contract.Operation.Unmap;
import dev.ioasid.contract.Operation.UnmapAll;
import dev.ioasid.contract.Operation.WriteStage1;
import dev.ioasid.contract.PageMapping;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.PasidState;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.contract.Result;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract by example, one or more per SPEC rule, written once and run against every
 * implementation that plugs in (the model run as an implementation, the reference implementation).
 * Examples use the IDs an implementation returns, never assume which one it picks.
 *
 * <p>Default bounds: capacity 6, PASIDs 1..8, VMs 1 and 2; dev 1 (VM 1, PASIDs below 8), dev 2
 * (VM 1, PASIDs below 4), dev 3 (VM 2, no PASID support); IOVA and host pages 0..7; 6 objects a VM.
 */
public abstract class ContractExamples {
    static final int VM1 = 1;
    static final int VM2 = 2;
    static final int DEV1 = 1;
    static final int DEV2 = 2;
    static final int DEV3 = 3;

    private IoasidImplementation impl;

    protected abstract IoasidImplementation create(Bounds bounds);

    @BeforeEach
    void freshImplementation() {
        impl = create(Bounds.defaults());
    }

    Result call(Operation op) {
        return impl.apply(op);
    }

    void ok(Operation op) {
        assertThat(call(op)).as("%s", op).isEqualTo(Result.done());
    }

    void fails(Operation op, Errno errno) {
        assertThat(call(op)).as("%s", op).isEqualTo(Result.failed(errno));
    }

    int id(Operation op) {
        Result result = call(op);
        assertThat(result).as("%s", op).isInstanceOf(Result.Allocated.class);
        return ((Result.Allocated) result).id();
    }

    int pasidOf(int vm) {
        return id(new AllocPasid(vm, 1, 3));
    }

    int ioas(int vm) {
        return id(new AllocIoas(vm));
    }

    int hwpt(int vm, int ioas, boolean nestParent, boolean allocPasid) {
        return id(new AllocHwptPaging(vm, ioas, nestParent, allocPasid, 0));
    }

    @Nested
    @DisplayName("sets and quotas")
    class Sets {
        @Test
        @DisplayName("SET-1, SET-8: the quota is reserved at creation, the set starts empty")
        void quotaReserved() {
            ok(new CreateSet(VM1, 4));
            assertThat(call(new QuerySet(VM1))).isEqualTo(new Result.SetUsage(4, 0));
            fails(new CreateSet(VM2, 3), ENOSPC);
            ok(new CreateSet(VM2, 2));
        }

        @Test
        @DisplayName("SET-2: one set per token")
        void oneSetPerToken() {
            ok(new CreateSet(VM1, 1));
            fails(new CreateSet(VM1, 1), EEXIST);
        }

        @Test
        @DisplayName("SET-3: more than is left is ENOSPC, a negative quota EINVAL")
        void quotaBounds() {
            fails(new CreateSet(VM1, 7), ENOSPC);
            fails(new CreateSet(VM1, -1), EINVAL);
        }

        @Test
        @DisplayName("SET-4: quota 0 takes all that is left, and fails when nothing is")
        void quotaZero() {
            ok(new CreateSet(VM1, 2));
            ok(new CreateSet(VM2, 0));
            assertThat(call(new QuerySet(VM2))).isEqualTo(new Result.SetUsage(4, 0));
            ok(new FreeSet(VM1));
            ok(new FreeSet(VM2));
            ok(new CreateSet(VM1, 6));
            fails(new CreateSet(VM2, 0), ENOSPC);
        }

        @Test
        @DisplayName("SET-5, SET-6: a set holding PASIDs cannot be freed; an empty one returns its quota")
        void freeSet() {
            ok(new CreateSet(VM1, 0));
            int pasid = pasidOf(VM1);
            fails(new FreeSet(VM1), EBUSY);
            ok(new FreePasid(VM1, pasid));
            ok(new FreeSet(VM1));
            ok(new CreateSet(VM2, 6));
        }

        @Test
        @DisplayName("SET-7: no set, ENOENT")
        void noSet() {
            fails(new FreeSet(VM1), ENOENT);
            fails(new QuerySet(VM2), ENOENT);
        }

        @Test
        @DisplayName("GEN-1: a VM outside the bounds is EINVAL")
        void vmOutOfBounds() {
            fails(new CreateSet(3, 1), EINVAL);
            fails(new AllocIoas(0), EINVAL);
            fails(new Detach(9, Pasid.NONE), EINVAL);
            fails(new AllocSva(VM1, 3), EINVAL);
        }
    }

    @Nested
    @DisplayName("PASID allocation and lifecycle")
    class Pasids {
        @BeforeEach
        void sets() {
            ok(new CreateSet(VM1, 3));
            ok(new CreateSet(VM2, 3));
        }

        @Test
        @DisplayName("PASID-1: no set, an empty range or one outside 1..pasidMax is EINVAL")
        void badRange() {
            ok(new FreeSet(VM2));
            fails(new AllocPasid(VM2, 1, 8), EINVAL);
            fails(new AllocPasid(VM1, 5, 4), EINVAL);
            fails(new AllocPasid(VM1, 0, 4), EINVAL);
            fails(new AllocPasid(VM1, 1, 9), EINVAL);
        }

        @Test
        @DisplayName("PASID-2: the quota used up is ENOSPC")
        void quotaUsedUp() {
            for (int i = 0; i < 3; i++) {
                id(new AllocPasid(VM1, 1, 8));
            }
            fails(new AllocPasid(VM1, 1, 8), ENOSPC);
            assertThat(call(new QuerySet(VM1))).isEqualTo(new Result.SetUsage(3, 3));
        }

        @Test
        @DisplayName("PASID-3, PASID-4: values are unique system-wide, from the range asked")
        void uniqueSystemWide() {
            assertThat(id(new AllocPasid(VM1, 5, 5))).isEqualTo(5);
            fails(new AllocPasid(VM2, 5, 5), ENOSPC);
            int other = id(new AllocPasid(VM2, 4, 6));
            assertThat(other).isIn(4, 6);
        }

        @Test
        @DisplayName("PASID-5, PASID-9: an unreferenced PASID is released at once; then it is unknown")
        void releasedAtOnce() {
            int pasid = pasidOf(VM1);
            assertThat(call(new QueryPasid(VM1, pasid))).isEqualTo(new Result.PasidStatus(PasidState.ACTIVE, 0));
            ok(new FreePasid(VM1, pasid));
            fails(new QueryPasid(VM1, pasid), ENOENT);
            fails(new FreePasid(VM1, pasid), ENOENT);
            assertThat(call(new QuerySet(VM1))).isEqualTo(new Result.SetUsage(3, 0));
        }

        @Test
        @DisplayName("PASID-6, PASID-7, PASID-8: a referenced PASID is free-pending until its last detach")
        void freePending() {
            int pasid = pasidOf(VM1);
            int sva = id(new AllocSva(VM1, 1));
            ok(new Attach(DEV1, pasid, sva));
            ok(new Attach(DEV2, pasid, sva));
            ok(new FreePasid(VM1, pasid));
            assertThat(call(new QueryPasid(VM1, pasid))).isEqualTo(new Result.PasidStatus(PasidState.FREE_PENDING, 2));
            ok(new FreePasid(VM1, pasid));
            ok(new Detach(DEV1, pasid));
            fails(new Attach(DEV1, pasid, sva), EBUSY);
            assertThat(call(new QuerySet(VM1))).isEqualTo(new Result.SetUsage(3, 1));
            ok(new Detach(DEV2, pasid));
            fails(new QueryPasid(VM1, pasid), ENOENT);
            assertThat(call(new QuerySet(VM1))).isEqualTo(new Result.SetUsage(3, 0));
        }

        @Test
        @DisplayName("PASID-10: another VM's PASID is EACCES and nothing changes")
        void isolation() {
            int pasid = pasidOf(VM1);
            fails(new FreePasid(VM2, pasid), EACCES);
            fails(new QueryPasid(VM2, pasid), EACCES);
            assertThat(call(new QueryPasid(VM1, pasid))).isEqualTo(new Result.PasidStatus(PasidState.ACTIVE, 0));
        }
    }

    @Nested
    @DisplayName("objects and namespaces")
    class Objects {
        @Test
        @DisplayName("OBJ-1: object IDs are per VM")
        void perVmNamespace() {
            int ioas = ioas(VM1);
            fails(new QueryObject(VM2, ioas), ENOENT);
            fails(new Destroy(VM2, ioas), ENOENT);
            fails(new AllocHwptPaging(VM2, ioas, false, false, 0), ENOENT);
            assertThat(call(new QueryObject(VM1, ioas))).isEqualTo(new Result.ObjectStatus(ObjectKind.IOAS, 0));
        }

        @Test
        @DisplayName("OBJ-2: IDs are distinct and run out")
        void idsRunOut() {
            java.util.Set<Integer> ids = new java.util.HashSet<>();
            for (int i = 0; i < 6; i++) {
                ids.add(id(new AllocFaultQueue(VM1)));
            }
            assertThat(ids).hasSize(6).allMatch(i -> i >= 1 && i <= 6);
            fails(new AllocIoas(VM1), ENOSPC);
            ioas(VM2);
        }

        @Test
        @DisplayName("OBJ-3, OBJ-4, HWPT-8: an HWPT pins its IOAS and fault queue until destroyed")
        void references() {
            int ioas = ioas(VM1);
            int fault = id(new AllocFaultQueue(VM1));
            int hwpt = id(new AllocHwptPaging(VM1, ioas, false, false, fault));
            assertThat(call(new QueryObject(VM1, ioas))).isEqualTo(new Result.ObjectStatus(ObjectKind.IOAS, 1));
            fails(new Destroy(VM1, ioas), EBUSY);
            fails(new Destroy(VM1, fault), EBUSY);
            ok(new Destroy(VM1, hwpt));
            ok(new Destroy(VM1, fault));
            ok(new Destroy(VM1, ioas));
            fails(new Destroy(VM1, ioas), ENOENT);
        }

        @Test
        @DisplayName("OBJ-5: users count HWPTs and attachments")
        void users() {
            int ioas = ioas(VM1);
            int parent = hwpt(VM1, ioas, true, false);
            id(new AllocHwptNested(VM1, parent, false, 0));
            ok(new Attach(DEV1, Pasid.NONE, parent));
            assertThat(call(new QueryObject(VM1, parent))).isEqualTo(new Result.ObjectStatus(ObjectKind.HWPT_PAGING, 2));
        }

        @Test
        @DisplayName("HWPT-1, HWPT-5: a paging HWPT needs an IOAS, a fault argument a fault queue")
        void pagingArguments() {
            int ioas = ioas(VM1);
            int fault = id(new AllocFaultQueue(VM1));
            fails(new AllocHwptPaging(VM1, fault, false, false, 0), EINVAL);
            fails(new AllocHwptPaging(VM1, ioas, false, false, ioas), EINVAL);
            fails(new AllocHwptPaging(VM1, ioas, false, false, 6), ENOENT);
        }

        @Test
        @DisplayName("HWPT-3: a nest parent cannot have a fault queue")
        void nestParentWithFault() {
            int ioas = ioas(VM1);
            int fault = id(new AllocFaultQueue(VM1));
            fails(new AllocHwptPaging(VM1, ioas, true, false, fault), EOPNOTSUPP);
        }

        @Test
        @DisplayName("HWPT-4: nesting only on a NEST_PARENT paging HWPT, one level deep")
        void nesting() {
            int ioas = ioas(VM1);
            int plain = hwpt(VM1, ioas, false, false);
            int parent = hwpt(VM1, ioas, true, false);
            fails(new AllocHwptNested(VM1, ioas, false, 0), EINVAL);
            fails(new AllocHwptNested(VM1, plain, false, 0), EINVAL);
            int nested = id(new AllocHwptNested(VM1, parent, false, 0));
            fails(new AllocHwptNested(VM1, nested, false, 0), EINVAL);
        }

        @Test
        @DisplayName("HWPT-6: invalidate only on a nested HWPT")
        void invalidate() {
            int ioas = ioas(VM1);
            int parent = hwpt(VM1, ioas, true, false);
            int nested = id(new AllocHwptNested(VM1, parent, false, 0));
            ok(new Invalidate(VM1, nested, 0, 8));
            fails(new Invalidate(VM1, parent, 0, 8), EINVAL);
            fails(new Invalidate(VM1, ioas, 0, 8), EINVAL);
            fails(new Invalidate(VM1, nested, 0, 0), EINVAL);
        }
    }

    @Nested
    @DisplayName("IOAS mappings and mirrors")
    class Mappings {
        int ioas;

        @BeforeEach
        void ioas() {
            ioas = ContractExamples.this.ioas(VM1);
        }

        @Test
        @DisplayName("IOAS-1: no pages, no access, or outside the bounds is EINVAL")
        void badMap() {
            fails(new MapArea(VM1, ioas, 0, 0, 0, Access.READ), EINVAL);
            fails(new MapArea(VM1, ioas, 0, 1, 0, Access.NONE), EINVAL);
            fails(new MapArea(VM1, ioas, 7, 2, 0, Access.READ), EINVAL);
            fails(new MapArea(VM1, ioas, 0, 2, 7, Access.READ), EINVAL);
        }

        @Test
        @DisplayName("IOAS-2, IOAS-3, IOAS-9: overlapping maps are EEXIST; areas are listed by IOVA")
        void overlap() {
            ok(new MapArea(VM1, ioas, 4, 2, 0, Access.READ));
            ok(new MapArea(VM1, ioas, 0, 2, 6, Access.READ_WRITE));
            fails(new MapArea(VM1, ioas, 5, 2, 0, Access.READ), EEXIST);
            assertThat(call(new QueryAreas(VM1, ioas))).isEqualTo(new Result.Areas(List.of(
                    new Area(0, 2, 6, Access.READ_WRITE), new Area(4, 2, 0, Access.READ))));
        }

        @Test
        @DisplayName("IOAS-4, IOAS-5, IOAS-6: unmap takes whole areas only")
        void wholeAreas() {
            ok(new MapArea(VM1, ioas, 0, 2, 0, Access.READ));
            ok(new MapArea(VM1, ioas, 4, 1, 0, Access.READ));
            fails(new Unmap(VM1, ioas, 0, 1), ENOENT);
            fails(new Unmap(VM1, ioas, 2, 2), ENOENT);
            fails(new Unmap(VM1, ioas, 0, 0), EINVAL);
            assertThat(call(new Unmap(VM1, ioas, 0, 8))).isEqualTo(new Result.Unmapped(3));
            assertThat(call(new QueryAreas(VM1, ioas))).isEqualTo(new Result.Areas(List.of()));
        }

        @Test
        @DisplayName("IOAS-7, IOAS-8: unmapAll always succeeds on an IOAS; mapping other kinds is EINVAL")
        void unmapAll() {
            assertThat(call(new UnmapAll(VM1, ioas))).isEqualTo(new Result.Unmapped(0));
            int fault = id(new AllocFaultQueue(VM1));
            fails(new MapArea(VM1, fault, 0, 1, 0, Access.READ), EINVAL);
            fails(new UnmapAll(VM1, fault), EINVAL);
            fails(new QueryAreas(VM1, fault), EINVAL);
        }

        @Test
        @DisplayName("HWPT-2, HWPT-7: a paging HWPT mirrors its IOAS through map and unmap")
        void mirror() {
            ok(new MapArea(VM1, ioas, 0, 2, 3, Access.WRITE));
            int hwpt = hwpt(VM1, ioas, false, false);
            ok(new MapArea(VM1, ioas, 6, 1, 0, Access.READ));
            List<PageMapping> expected = List.of(new PageMapping(0, 3, Access.WRITE), new PageMapping(1, 4, Access.WRITE),
                    new PageMapping(6, 0, Access.READ));
            assertThat(call(new QueryPages(VM1, hwpt))).isEqualTo(new Result.Pages(expected));
            assertThat(call(new QueryPages(VM1, ioas))).isEqualTo(new Result.Pages(expected));
            call(new Unmap(VM1, ioas, 0, 2));
            assertThat(call(new QueryPages(VM1, hwpt))).isEqualTo(new Result.Pages(List.of(new PageMapping(6, 0, Access.READ))));
            fails(new QueryPages(VM1, id(new AllocFaultQueue(VM1))), EINVAL);
        }
    }

    @Nested
    @DisplayName("attachment")
    class Attachment {
        int ioas;

        @BeforeEach
        void setUp() {
            ok(new CreateSet(VM1, 3));
            ok(new CreateSet(VM2, 3));
            ioas = ContractExamples.this.ioas(VM1);
        }

        @Test
        @DisplayName("ATT-1, ATT-6, ATT-11: one table per point, holding a reference")
        void oneTablePerPoint() {
            int hwpt = hwpt(VM1, ioas, false, false);
            ok(new Attach(DEV1, Pasid.NONE, hwpt));
            fails(new Attach(DEV1, Pasid.NONE, ioas), EBUSY);
            assertThat(call(new QueryAttachment(DEV1, Pasid.NONE))).isEqualTo(new Result.AttachedTable(hwpt));
            fails(new Destroy(VM1, hwpt), EBUSY);
        }

        @Test
        @DisplayName("ATT-2, SVA-1: fault queues never, IOAS only on the RID, SVA only on a PASID")
        void attachableKinds() {
            int pasid = pasidOf(VM1);
            fails(new Attach(DEV1, Pasid.NONE, id(new AllocFaultQueue(VM1))), EINVAL);
            fails(new Attach(DEV1, pasid, ioas), EINVAL);
            int sva = id(new AllocSva(VM1, 1));
            fails(new Attach(DEV1, Pasid.NONE, sva), EINVAL);
            ok(new Attach(DEV1, Pasid.NONE, ioas));
            ok(new Attach(DEV1, pasid, sva));
        }

        @Test
        @DisplayName("ATT-3: a PASID attach needs a PASID-capable device that can issue the PASID")
        void pasidCapable() {
            int vm2Pasid = pasidOf(VM2);
            int vm2Sva = id(new AllocSva(VM2, 1));
            fails(new Attach(DEV3, vm2Pasid, vm2Sva), EOPNOTSUPP);
            int high = id(new AllocPasid(VM1, 5, 5));
            int sva = id(new AllocSva(VM1, 1));
            fails(new Attach(DEV2, high, sva), EINVAL);
            ok(new Attach(DEV1, high, sva));
        }

        @Test
        @DisplayName("ATT-4: a PASID attach needs an ALLOC_PASID table")
        void allocPasidFlag() {
            int pasid = pasidOf(VM1);
            fails(new Attach(DEV1, pasid, hwpt(VM1, ioas, false, false)), EINVAL);
            ok(new Attach(DEV1, pasid, hwpt(VM1, ioas, false, true)));
        }

        @Test
        @DisplayName("ATT-5: a PASID attach needs a PASID of the device's VM set")
        void ownSet() {
            int table = hwpt(VM1, ioas, false, true);
            int foreign = pasidOf(VM2);
            fails(new Attach(DEV1, foreign, table), EACCES);
            fails(new Attach(DEV1, 7, table), ENOENT);
            assertThat(call(new QueryPasid(VM2, foreign))).isEqualTo(new Result.PasidStatus(PasidState.ACTIVE, 0));
        }

        @Test
        @DisplayName("ATT-7, ATT-8: replace swaps atomically, and keeps the old table when it fails")
        void replace() {
            int first = hwpt(VM1, ioas, false, true);
            int second = hwpt(VM1, ioas, false, true);
            int pasid = pasidOf(VM1);
            fails(new Replace(DEV1, pasid, second), EINVAL);
            ok(new Attach(DEV1, pasid, first));
            fails(new Replace(DEV1, pasid, 6), ENOENT);
            fails(new Replace(DEV1, pasid, ioas), EINVAL);
            assertThat(call(new QueryAttachment(DEV1, pasid))).isEqualTo(new Result.AttachedTable(first));
            ok(new Replace(DEV1, pasid, second));
            assertThat(call(new QueryObject(VM1, first))).isEqualTo(new Result.ObjectStatus(ObjectKind.HWPT_PAGING, 0));
            assertThat(call(new QueryObject(VM1, second))).isEqualTo(new Result.ObjectStatus(ObjectKind.HWPT_PAGING, 1));
            assertThat(call(new QueryPasid(VM1, pasid))).isEqualTo(new Result.PasidStatus(PasidState.ACTIVE, 1));
        }

        @Test
        @DisplayName("ATT-9, ATT-10: detach of nothing is a no-op; detach drops both references")
        void detach() {
            ok(new Detach(DEV1, Pasid.NONE));
            int pasid = pasidOf(VM1);
            int table = hwpt(VM1, ioas, false, true);
            ok(new Attach(DEV1, pasid, table));
            ok(new Detach(DEV1, pasid));
            assertThat(call(new QueryAttachment(DEV1, pasid))).isEqualTo(new Result.AttachedTable(0));
            assertThat(call(new QueryPasid(VM1, pasid))).isEqualTo(new Result.PasidStatus(PasidState.ACTIVE, 0));
            ok(new Destroy(VM1, table));
        }
    }

    @Nested
    @DisplayName("DMA translation")
    class Translation {
        int ioas;

        @BeforeEach
        void ioasWithOnePage() {
            ioas = ContractExamples.this.ioas(VM1);
            ok(new MapArea(VM1, ioas, 2, 1, 5, Access.READ));
        }

        Result dma(int dev, int pasid, int iova, Access access) {
            return call(new Dma(dev, pasid, iova, access));
        }

        @Test
        @DisplayName("XLT-1, XLT-2: blocked when nothing is attached; one level through an IOAS, and gone after unmap")
        void oneLevel() {
            assertThat(dma(DEV1, Pasid.NONE, 2, Access.READ)).isEqualTo(new Result.Faulted(FaultLevel.BLOCKED));
            ok(new Attach(DEV1, Pasid.NONE, ioas));
            assertThat(dma(DEV1, Pasid.NONE, 2, Access.READ)).isEqualTo(new Result.Translated(5));
            assertThat(dma(DEV1, Pasid.NONE, 2, Access.WRITE)).isEqualTo(new Result.Faulted(FaultLevel.PAGING));
            assertThat(dma(DEV1, Pasid.NONE, 3, Access.READ)).isEqualTo(new Result.Faulted(FaultLevel.PAGING));
            call(new Unmap(VM1, ioas, 2, 1));
            assertThat(dma(DEV1, Pasid.NONE, 2, Access.READ)).isEqualTo(new Result.Faulted(FaultLevel.PAGING));
        }

        @Test
        @DisplayName("XLT-3: a nested table walks stage 1, then stage 2, and faults at the level that fails")
        void twoStages() {
            int nested = nested();
            ok(new Attach(DEV1, Pasid.NONE, nested));
            assertThat(dma(DEV1, Pasid.NONE, 0, Access.READ)).isEqualTo(new Result.Faulted(FaultLevel.STAGE1));
            ok(new WriteStage1(VM1, nested, 0, 2, Access.READ_WRITE));
            ok(new WriteStage1(VM1, nested, 1, 6, Access.READ));
            ok(new Invalidate(VM1, nested, 0, 8));
            assertThat(dma(DEV1, Pasid.NONE, 0, Access.READ)).isEqualTo(new Result.Translated(5));
            assertThat(dma(DEV1, Pasid.NONE, 0, Access.WRITE)).isEqualTo(new Result.Faulted(FaultLevel.STAGE2));
            assertThat(dma(DEV1, Pasid.NONE, 1, Access.READ)).isEqualTo(new Result.Faulted(FaultLevel.STAGE2));
            assertThat(dma(DEV1, Pasid.NONE, 1, Access.WRITE)).isEqualTo(new Result.Faulted(FaultLevel.STAGE1));
        }

        @Test
        @DisplayName("XLT-4, XLT-5: a rewritten stage-1 entry translates old or new until invalidated, then new only")
        void staleUntilInvalidate() {
            int nested = nested();
            ok(new Attach(DEV1, Pasid.NONE, nested));
            ok(new WriteStage1(VM1, nested, 0, 2, Access.READ));
            Result first = dma(DEV1, Pasid.NONE, 0, Access.READ);
            assertThat(first).isIn(new Result.Faulted(FaultLevel.STAGE1), new Result.Translated(5));
            ok(new Invalidate(VM1, nested, 0, 1));
            assertThat(dma(DEV1, Pasid.NONE, 0, Access.READ)).isEqualTo(new Result.Translated(5));
            ok(new WriteStage1(VM1, nested, 0, 0, Access.NONE));
            assertThat(dma(DEV1, Pasid.NONE, 0, Access.READ))
                    .isIn(new Result.Translated(5), new Result.Faulted(FaultLevel.STAGE1));
            ok(new Invalidate(VM1, nested, 0, 1));
            assertThat(dma(DEV1, Pasid.NONE, 0, Access.READ)).isEqualTo(new Result.Faulted(FaultLevel.STAGE1));
        }

        @Test
        @DisplayName("XLT-6, SVA-2, SVA-3: SVA translates through the process's pages, and stops at munmap")
        void sva() {
            ok(new CreateSet(VM1, 1));
            int pasid = pasidOf(VM1);
            int sva = id(new AllocSva(VM1, 2));
            ok(new Attach(DEV1, pasid, sva));
            assertThat(dma(DEV1, pasid, 1, Access.READ)).isEqualTo(new Result.Faulted(FaultLevel.SVA));
            ok(new MmMap(2, 1, 7, Access.READ_WRITE));
            fails(new MmMap(2, 1, 6, Access.READ), EEXIST);
            fails(new MmMap(2, 4, 6, Access.READ), EINVAL);
            fails(new MmMap(2, 2, 8, Access.READ), EINVAL);
            assertThat(dma(DEV1, pasid, 1, Access.WRITE)).isEqualTo(new Result.Translated(7));
            ok(new MmUnmap(2, 1));
            fails(new MmUnmap(2, 1), ENOENT);
            fails(new MmUnmap(2, 4), EINVAL);
            fails(new MmUnmap(2, -1), EINVAL);
            assertThat(dma(DEV1, pasid, 1, Access.READ)).isEqualTo(new Result.Faulted(FaultLevel.SVA));
        }

        @Test
        @DisplayName("XLT-7, XLT-8: bad DMA arguments and stage-1 writes are EINVAL")
        void badArguments() {
            fails(new Dma(DEV1, Pasid.NONE, 8, Access.READ), EINVAL);
            fails(new Dma(DEV1, Pasid.NONE, 0, Access.NONE), EINVAL);
            fails(new Dma(DEV3, 1, 0, Access.READ), EINVAL);
            fails(new Dma(DEV2, 4, 0, Access.READ), EINVAL);
            fails(new WriteStage1(VM1, ioas, 0, 0, Access.READ), EINVAL);
            int nested = nested();
            fails(new WriteStage1(VM1, nested, 8, 0, Access.READ), EINVAL);
            fails(new WriteStage1(VM1, nested, 0, 8, Access.READ), EINVAL);
        }

        int nested() {
            int parent = hwpt(VM1, ioas, true, false);
            return id(new AllocHwptNested(VM1, parent, false, 0));
        }
    }

    @Nested
    @DisplayName("page requests and fault queues")
    class Faults {
        int ioas;
        int queue;

        @BeforeEach
        void queue() {
            ioas = ContractExamples.this.ioas(VM1);
            queue = id(new AllocFaultQueue(VM1));
        }

        void request(int dev, int pasid, int iova, int group, boolean last) {
            ok(new PageRequest(dev, pasid, iova, Access.READ, group, last));
        }

        List<DeviceResponse> responses(int dev) {
            return ((Result.Responses) call(new QueryResponses(dev))).responses();
        }

        List<FaultGroup> read() {
            return ((Result.FaultGroups) call(new ReadFaults(VM1, queue))).groups();
        }

        @Test
        @DisplayName("PRQ-1, PRQ-4, FLT-1, FLT-4: held until last, delivered whole, answered once through its cookie")
        void throughTheQueue() {
            int hwpt = id(new AllocHwptPaging(VM1, ioas, false, false, queue));
            ok(new Attach(DEV1, Pasid.NONE, hwpt));
            request(DEV1, Pasid.NONE, 3, 0, false);
            assertThat(read()).isEmpty();
            request(DEV1, Pasid.NONE, 4, 0, true);
            List<FaultGroup> groups = read();
            assertThat(groups).hasSize(1);
            FaultGroup group = groups.get(0);
            assertThat(group.requests()).containsExactly(new RequestedPage(3, Access.READ), new RequestedPage(4, Access.READ));
            assertThat(group.cookie()).isPositive();
            assertThat(read()).isEmpty();
            assertThat(responses(DEV1)).isEmpty();
            ok(new Respond(VM1, queue, group.cookie(), ResponseCode.SUCCESS));
            assertThat(responses(DEV1)).containsExactly(new DeviceResponse(Pasid.NONE, 0, ResponseCode.SUCCESS));
            fails(new Respond(VM1, queue, group.cookie(), ResponseCode.SUCCESS), EINVAL);
        }

        @Test
        @DisplayName("PRQ-3: nothing attached, no PRI, no handler: INVALID at once")
        void noHandler() {
            request(DEV1, Pasid.NONE, 0, 0, true);
            ok(new Attach(DEV2, Pasid.NONE, ioas));
            request(DEV2, Pasid.NONE, 0, 1, true);
            int vm2Ioas = ContractExamples.this.ioas(VM2);
            ok(new Attach(DEV3, Pasid.NONE, vm2Ioas));
            request(DEV3, Pasid.NONE, 0, 0, true);
            assertThat(responses(DEV1)).containsExactly(new DeviceResponse(Pasid.NONE, 0, ResponseCode.INVALID));
            assertThat(responses(DEV2)).containsExactly(new DeviceResponse(Pasid.NONE, 1, ResponseCode.INVALID));
            assertThat(responses(DEV3)).containsExactly(new DeviceResponse(Pasid.NONE, 0, ResponseCode.INVALID));
        }

        @Test
        @DisplayName("PRQ-2, PRQ-5: a stage-2 fault under a nested table is the kernel's, never user space's")
        void stage2IsTheKernels() {
            int parent = hwpt(VM1, ioas, true, false);
            int nested = id(new AllocHwptNested(VM1, parent, false, queue));
            ok(new Attach(DEV1, Pasid.NONE, nested));
            ok(new WriteStage1(VM1, nested, 0, 6, Access.READ));
            request(DEV1, Pasid.NONE, 1, 0, false);
            request(DEV1, Pasid.NONE, 0, 0, true);
            assertThat(read()).isEmpty();
            assertThat(responses(DEV1)).containsExactly(new DeviceResponse(Pasid.NONE, 0, ResponseCode.INVALID));
            request(DEV1, Pasid.NONE, 1, 1, true);
            assertThat(read()).extracting(FaultGroup::group).containsExactly(1);
        }

        @Test
        @DisplayName("PRQ-6: SVA faults are resolved by the kernel against the process's pages")
        void sva() {
            ok(new CreateSet(VM1, 1));
            int pasid = pasidOf(VM1);
            ok(new Attach(DEV1, pasid, id(new AllocSva(VM1, 1))));
            ok(new MmMap(1, 0, 0, Access.READ));
            request(DEV1, pasid, 0, 0, true);
            request(DEV1, pasid, 1, 1, true);
            assertThat(responses(DEV1)).containsExactly(new DeviceResponse(pasid, 0, ResponseCode.SUCCESS),
                    new DeviceResponse(pasid, 1, ResponseCode.INVALID));
        }

        @Test
        @DisplayName("PRQ-7, FLT-2, FLT-3: no reuse of an outstanding group; bad queue, cookie or code is EINVAL")
        void refusals() {
            ok(new Attach(DEV1, Pasid.NONE, id(new AllocHwptPaging(VM1, ioas, false, false, queue))));
            request(DEV1, Pasid.NONE, 0, 0, true);
            fails(new PageRequest(DEV1, Pasid.NONE, 0, Access.READ, 0, true), EBUSY);
            fails(new PageRequest(DEV1, Pasid.NONE, 0, Access.READ, 2, true), EINVAL);
            fails(new ReadFaults(VM1, ioas), EINVAL);
            fails(new Respond(VM1, queue, 1, ResponseCode.SUCCESS), EINVAL);
            int cookie = read().get(0).cookie();
            fails(new Respond(VM1, queue, cookie, ResponseCode.FAILURE), EINVAL);
            fails(new Respond(VM1, ioas, cookie, ResponseCode.SUCCESS), EINVAL);
            ok(new Respond(VM1, queue, cookie, ResponseCode.INVALID));
            request(DEV1, Pasid.NONE, 0, 0, true);
        }

        @Test
        @DisplayName("FLT-5: detach answers what the old owner holds and drops held requests; a failed replace keeps them")
        void detachAnswers() {
            int hwpt = id(new AllocHwptPaging(VM1, ioas, false, false, queue));
            ok(new Attach(DEV1, Pasid.NONE, hwpt));
            request(DEV1, Pasid.NONE, 0, 0, true);
            request(DEV1, Pasid.NONE, 0, 1, true);
            List<FaultGroup> groups = read();
            int cookie = groups.get(0).cookie();
            ok(new Respond(VM1, queue, groups.get(1).cookie(), ResponseCode.SUCCESS));
            request(DEV1, Pasid.NONE, 5, 1, false);
            fails(new Replace(DEV1, Pasid.NONE, 6), ENOENT);
            assertThat(responses(DEV1)).containsExactly(new DeviceResponse(Pasid.NONE, 1, ResponseCode.SUCCESS));
            ok(new Detach(DEV1, Pasid.NONE));
            assertThat(responses(DEV1)).containsExactly(new DeviceResponse(Pasid.NONE, 1, ResponseCode.SUCCESS),
                    new DeviceResponse(Pasid.NONE, 0, ResponseCode.INVALID));
            fails(new Respond(VM1, queue, cookie, ResponseCode.SUCCESS), EINVAL);
            ok(new Attach(DEV1, Pasid.NONE, hwpt));
            request(DEV1, Pasid.NONE, 6, 1, true);
            assertThat(read()).singleElement().extracting(FaultGroup::requests).asList()
                    .containsExactly(new RequestedPage(6, Access.READ));
        }

        @Test
        @DisplayName("FLT-6, FLT-7: destroying the queue answers what is left in it; responses come in order")
        void destroyQueue() {
            int hwpt = id(new AllocHwptPaging(VM1, ioas, false, false, queue));
            ok(new Attach(DEV1, Pasid.NONE, hwpt));
            request(DEV1, Pasid.NONE, 0, 1, true);
            fails(new Destroy(VM1, queue), EBUSY);
            ok(new Replace(DEV1, Pasid.NONE, ioas));
            ok(new Destroy(VM1, hwpt));
            ok(new Destroy(VM1, queue));
            assertThat(responses(DEV1)).containsExactly(new DeviceResponse(Pasid.NONE, 1, ResponseCode.INVALID));
        }
    }

    @Test
    @DisplayName("GEN-3: under ioasid-2021 the vIOMMU calls do not exist, whatever their arguments")
    void noViommuCallsIn2021() {
        fails(new AllocViommu(DEV1, 1), Errno.ENOTTY);
        fails(new AllocVdevice(99, 1, 0), Errno.ENOTTY);
        fails(new InvalidateViommu(VM1, 1, 0, 0, 1), Errno.ENOTTY);
        fails(new Operation.CopyArea(VM1, 1, 0, 1, 0, 1, Access.READ), Errno.ENOTTY);
        fails(new Operation.SetDirtyTracking(VM1, 1, true), Errno.ENOTTY);
        fails(new Operation.GetDirtyBitmap(VM1, 1, 0, 1, false), Errno.ENOTTY);
        fails(new Operation.MapAreaAuto(VM1, 1, 1, 0, Access.READ), Errno.ENOTTY);
        fails(new Operation.AllowIovas(VM1, 1, 0, 0), Errno.ENOTTY);
    }

    @Test
    @DisplayName("DIRTY-1: under ioasid-2021 DIRTY_TRACKING is an unknown flag")
    void noDirtyTrackingIn2021() {
        fails(new AllocHwptPaging(VM1, ioas(VM1), false, false, 0, true), EOPNOTSUPP);
    }

    /**
     * The examples that follow run on a fresh implementation of these bounds under the iommufd
     * profile, or are skipped for an implementation of the 2021 contract only ({@link #checksIommufd}).
     */
    void useIommufd(Bounds bounds) {
        org.junit.jupiter.api.Assumptions.assumeTrue(checksIommufd(), "the implementation declares the 2021 contract only");
        impl = create(bounds.withProfile(dev.ioasid.contract.Profile.IOMMUFD));
    }

    /**
     * Whether the implementation follows the iommufd profile too (SPEC.md, Profiles). Override to
     * return false for an implementation of the 2021 contract only: the iommufd checks then show as
     * skipped, never as passed.
     */
    protected boolean checksIommufd() {
        return true;
    }

    /**
     * iommufd's vIOMMU objects, under the iommufd profile, on the default bounds plus device 4 in
     * VM 1 (no PASIDs, PRI), which sits behind the same vIOMMU-capable IOMMU as device 1.
     */
    @Nested
    @DisplayName("vIOMMU and vDEVICE (iommufd)")
    class Viommus {
        static final int DEV4 = 4;
        int ioas;
        int parent;

        @BeforeEach
        void iommufdWithTwoViommuDevices() {
            Bounds defaults = Bounds.defaults();
            List<dev.ioasid.contract.DeviceSpec> devices = new java.util.ArrayList<>(defaults.devices());
            devices.add(new dev.ioasid.contract.DeviceSpec(DEV4, VM1, 0, true, dev.ioasid.contract.DriverKind.VFIO_PCI,
                    false, true));
            useIommufd(new Bounds(defaults.capacity(), defaults.pasidMax(), defaults.vms(), devices,
                    defaults.iovaPages(), defaults.hostPages(), defaults.maxObjects(), defaults.mms(),
                    defaults.mmPages(), defaults.groups()));
            ioas = ioas(VM1);
            parent = hwpt(VM1, ioas, true, false);
        }

        int users(int id) {
            Result status = call(new QueryObject(VM1, id));
            assertThat(status).isInstanceOf(Result.ObjectStatus.class);
            return ((Result.ObjectStatus) status).users();
        }

        @Test
        @DisplayName("VIOMMU-1: the driver first, then a NEST_PARENT paging HWPT by a typed lookup; the vIOMMU holds it")
        void allocViommu() {
            fails(new AllocViommu(DEV2, 6), EOPNOTSUPP);
            fails(new AllocViommu(DEV1, 6), ENOENT);
            fails(new AllocViommu(DEV1, ioas), ENOENT);
            fails(new AllocViommu(DEV1, hwpt(VM1, ioas, false, false)), EINVAL);
            int viommu = id(new AllocViommu(DEV1, parent));
            assertThat(call(new QueryObject(VM1, viommu))).isEqualTo(new Result.ObjectStatus(ObjectKind.VIOMMU, 0));
            assertThat(users(parent)).isEqualTo(1);
            fails(new Destroy(VM1, parent), EBUSY);
            fails(new Attach(DEV1, Pasid.NONE, viommu), EINVAL);
            ok(new Destroy(VM1, viommu));
            ok(new Destroy(VM1, parent));
        }

        @Test
        @DisplayName("VIOMMU-2: a vDEVICE needs a vIOMMU, a device behind its IOMMU and a free virtual ID; it holds the vIOMMU")
        void allocVdevice() {
            int viommu = id(new AllocViommu(DEV1, parent));
            fails(new AllocVdevice(DEV1, viommu, -1), EINVAL);
            fails(new AllocVdevice(DEV1, ioas, 0), ENOENT);
            fails(new AllocVdevice(DEV2, viommu, 0), EINVAL);
            int vdev = id(new AllocVdevice(DEV1, viommu, 0));
            fails(new AllocVdevice(DEV4, viommu, 0), EEXIST);
            int other = id(new AllocVdevice(DEV4, viommu, 1));
            assertThat(call(new QueryObject(VM1, vdev))).isEqualTo(new Result.ObjectStatus(ObjectKind.VDEVICE, 0));
            assertThat(users(viommu)).isEqualTo(2);
            fails(new Destroy(VM1, viommu), EBUSY);
            ok(new Destroy(VM1, vdev));
            assertThat(users(viommu)).isEqualTo(1);
            assertThat(call(new AllocVdevice(DEV4, viommu, 0))).as("a second vDEVICE of a device: EEXIST from Linux 6.17")
                    .satisfiesAnyOf(r -> assertThat(r).isEqualTo(Result.failed(EEXIST)),
                            r -> assertThat(r).isInstanceOf(Result.Allocated.class));
            id(new AllocVdevice(DEV1, viommu, 0));
            ok(new Destroy(VM1, other));
        }

        @Test
        @DisplayName("VIOMMU-2: a virtual ID found taken gives the reserved object ID back")
        void aTakenVirtualIdLeavesNoObject() {
            int viommu = id(new AllocViommu(DEV1, parent));
            id(new AllocVdevice(DEV1, viommu, 0));
            fails(new AllocVdevice(DEV4, viommu, 0), EEXIST);
            id(new AllocIoas(VM1)); // five objects: the IOAS, its parent HWPT, the vIOMMU, the vDEVICE, this
            id(new AllocIoas(VM1));
            fails(new AllocIoas(VM1), ENOSPC);
        }

        @Test
        @DisplayName("HWPT-6 (iommufd): an invalidation of no pages succeeds, from IOVA 0 too")
        void emptyInvalidation() {
            int nested = id(new AllocHwptNested(VM1, parent, false, 0));
            ok(new Invalidate(VM1, nested, 0, 0));
            ok(new Invalidate(VM1, nested, 3, 0));
        }

        @Test
        @DisplayName("VIOMMU-3: a nested HWPT on a vIOMMU nests in its HWPT and holds the vIOMMU, not the HWPT")
        void nestedOnViommu() {
            int viommu = id(new AllocViommu(DEV1, parent));
            fails(new AllocHwptPaging(VM1, viommu, false, false, 0), EOPNOTSUPP);
            int nested = id(new AllocHwptNested(VM1, viommu, true, 0));
            assertThat(users(viommu)).isEqualTo(1);
            assertThat(users(parent)).isEqualTo(1);
            id(new AllocVdevice(DEV1, viommu, 7));
            ok(new MapArea(VM1, ioas, 2, 1, 5, Access.READ_WRITE));
            assertThat(call(new Attach(DEV1, Pasid.NONE, nested)).isOk()).isTrue();
            ok(new WriteStage1(VM1, nested, 0, 2, Access.READ));
            ok(new InvalidateViommu(VM1, viommu, 7, 0, 1)); // until then the device may see the entry absent (XLT-4)
            assertThat(call(new Dma(DEV1, Pasid.NONE, 0, Access.READ))).isEqualTo(new Result.Translated(5));
            fails(new Destroy(VM1, viommu), EBUSY);
        }

        @Test
        @DisplayName("VIOMMU-4: an invalidation through the vIOMMU names the device by its virtual ID; it then sees stage 1 as written")
        void invalidateThroughViommu() {
            int viommu = id(new AllocViommu(DEV1, parent));
            id(new AllocVdevice(DEV1, viommu, 2));
            int nested = id(new AllocHwptNested(VM1, viommu, false, 0));
            fails(new InvalidateViommu(VM1, 6, 2, 0, 1), ENOENT);
            fails(new InvalidateViommu(VM1, nested, 2, 0, 1), EINVAL);
            ok(new InvalidateViommu(VM1, viommu, 2, 0, 0));
            fails(new InvalidateViommu(VM1, viommu, 2, 0, -1), EINVAL);
            assertThat(call(new InvalidateViommu(VM1, viommu, 0, 0, 1))).as("an unknown virtual ID")
                    .isIn(Result.failed(EINVAL), Result.failed(Errno.EIO));
            ok(new MapArea(VM1, ioas, 3, 1, 6, Access.READ_WRITE));
            assertThat(call(new Attach(DEV1, Pasid.NONE, nested)).isOk()).isTrue();
            ok(new WriteStage1(VM1, nested, 1, 3, Access.READ_WRITE));
            ok(new InvalidateViommu(VM1, viommu, 2, 1, 1));
            assertThat(call(new Dma(DEV1, Pasid.NONE, 1, Access.WRITE))).isEqualTo(new Result.Translated(6));
            ok(new WriteStage1(VM1, nested, 1, 3, Access.NONE));
            ok(new InvalidateViommu(VM1, viommu, 2, 0, 2));
            assertThat(call(new Dma(DEV1, Pasid.NONE, 1, Access.WRITE))).isEqualTo(new Result.Faulted(FaultLevel.STAGE1));
        }

        @Test
        @DisplayName("VIOMMU-5: invalidating a nested HWPT on a vIOMMU directly is the driver's choice: done or EOPNOTSUPP")
        void invalidateNestedOnViommu() {
            int viommu = id(new AllocViommu(DEV1, parent));
            int nested = id(new AllocHwptNested(VM1, viommu, false, 0));
            assertThat(call(new Invalidate(VM1, nested, 0, 1))).isIn(Result.done(), Result.failed(EOPNOTSUPP));
            assertThat(call(new Invalidate(VM1, viommu, 0, 1))).as("a vIOMMU is not a nested HWPT")
                    .isIn(Result.failed(EINVAL), Result.failed(ENOENT));
        }
    }

    /** IOAS copy, under the iommufd profile on the default bounds. */
    @Nested
    @DisplayName("IOAS copy (iommufd)")
    class Copies {
        int ioas;

        @BeforeEach
        void iommufd() {
            useIommufd(Bounds.defaults());
            ioas = ioas(VM1);
        }

        Operation.CopyArea copy(int dst, int iova, int src, int srcIova, int pages, Access access) {
            return new Operation.CopyArea(VM1, dst, iova, src, srcIova, pages, access);
        }

        @Test
        @DisplayName("IOAS-10: the checks in order: access, source IOAS, pages, a hole, destination IOAS, range, overlap")
        void checkOrder() {
            int missing = ioas == 1 ? 2 : 1; // the IOAS is the only object
            ok(new MapArea(VM1, ioas, 0, 2, 4, Access.READ_WRITE));
            fails(copy(missing, 4, missing, 0, 0, Access.NONE), EINVAL);
            fails(copy(missing, 4, missing, 0, 0, Access.READ), ENOENT);
            fails(copy(missing, 4, ioas, 0, 0, Access.READ), EINVAL);
            fails(copy(missing, 4, ioas, 1, 2, Access.READ), ENOENT);
            fails(copy(missing, 4, ioas, 0, 2, Access.READ), ENOENT);
            fails(copy(ioas, 7, ioas, 0, 2, Access.READ), EINVAL);
            fails(copy(ioas, 1, ioas, 0, 2, Access.READ), EEXIST);
        }

        @Test
        @DisplayName("IOAS-10: each covered part of a source area becomes an area of its own, independent of the source, mirrored")
        void slicesAreIndependentAreas() {
            int other = ioas(VM1);
            int hwpt = hwpt(VM1, other, false, false);
            ok(new MapArea(VM1, ioas, 0, 2, 4, Access.READ_WRITE));
            ok(new MapArea(VM1, ioas, 2, 1, 0, Access.READ));
            ok(copy(other, 3, ioas, 1, 2, Access.READ));
            assertThat(call(new QueryAreas(VM1, other))).isEqualTo(new Result.Areas(List.of(
                    new Area(3, 1, 5, Access.READ), new Area(4, 1, 0, Access.READ))));
            assertThat(call(new QueryPages(VM1, hwpt))).isEqualTo(new Result.Pages(List.of(
                    new PageMapping(3, 5, Access.READ), new PageMapping(4, 0, Access.READ))));
            assertThat(call(new Unmap(VM1, ioas, 0, 3))).isEqualTo(new Result.Unmapped(3));
            assertThat(call(new QueryAreas(VM1, other))).isEqualTo(new Result.Areas(List.of(
                    new Area(3, 1, 5, Access.READ), new Area(4, 1, 0, Access.READ))));
        }

        @Test
        @DisplayName("IOAS-10: WRITE needs pages pinned writable, and a read-only copy keeps them so")
        void writeNeedsWritablePages() {
            ok(new MapArea(VM1, ioas, 0, 1, 4, Access.READ));
            fails(copy(ioas, 1, ioas, 0, 1, Access.READ_WRITE), Errno.EPERM);
            ok(new MapArea(VM1, ioas, 2, 1, 5, Access.READ_WRITE));
            ok(copy(ioas, 3, ioas, 2, 1, Access.READ));
            ok(copy(ioas, 4, ioas, 3, 1, Access.WRITE));
        }
    }

    /**
     * Dirty tracking, under the iommufd profile on the default bounds: device 1's IOMMU tracks dirty
     * pages, device 2's does not.
     */
    @Nested
    @DisplayName("dirty tracking (iommufd)")
    class DirtyTracking {
        int ioas;
        int hwpt;

        @BeforeEach
        void iommufdWithADirtyTrackingHwpt() {
            useIommufd(Bounds.defaults());
            ioas = ioas(VM1);
            ok(new MapArea(VM1, ioas, 0, 2, 4, Access.READ_WRITE));
            hwpt = id(new AllocHwptPaging(VM1, ioas, false, false, 0, true));
        }

        Result read(int iova, int pages, boolean noClear) {
            return call(new Operation.GetDirtyBitmap(VM1, hwpt, iova, pages, noClear));
        }

        static Result dirty(Integer... iovas) {
            return new Result.DirtyPages(List.of(iovas));
        }

        @Test
        @DisplayName("DIRTY-2: a dirty-tracking HWPT attaches only to a device whose IOMMU tracks dirty pages")
        void attachNeedsTheCapability() {
            fails(new Attach(DEV2, Pasid.NONE, hwpt), EINVAL);
            assertThat(call(new Attach(DEV1, Pasid.NONE, hwpt)).isOk()).isTrue();
        }

        @Test
        @DisplayName("DIRTY-3: a paging HWPT by a typed lookup, allocated with DIRTY_TRACKING")
        void setDirtyTrackingLookups() {
            int plain = hwpt(VM1, ioas, false, false);
            fails(new Operation.SetDirtyTracking(VM1, ioas, true), ENOENT);
            fails(new Operation.SetDirtyTracking(VM1, plain, true), EOPNOTSUPP);
            fails(new Operation.GetDirtyBitmap(VM1, plain, 0, 1, false), EOPNOTSUPP);
            ok(new Operation.SetDirtyTracking(VM1, hwpt, true));
            ok(new Operation.SetDirtyTracking(VM1, hwpt, true));
            fails(new Operation.GetDirtyBitmap(VM1, hwpt, 0, 0, false), EINVAL);
        }

        @Test
        @DisplayName("DIRTY-4, DIRTY-5: writes while tracking are read once, NO_CLEAR reads without clearing, enabling clears")
        void writesAreReadAndCleared() {
            assertThat(call(new Attach(DEV1, Pasid.NONE, hwpt)).isOk()).isTrue();
            assertThat(call(new Dma(DEV1, Pasid.NONE, 0, Access.WRITE))).isEqualTo(new Result.Translated(4));
            ok(new Operation.SetDirtyTracking(VM1, hwpt, true));
            assertThat(read(0, 2, false)).as("written before tracking").isEqualTo(dirty());
            assertThat(call(new Dma(DEV1, Pasid.NONE, 1, Access.READ_WRITE))).isEqualTo(new Result.Translated(5));
            assertThat(call(new Dma(DEV1, Pasid.NONE, 0, Access.READ))).isEqualTo(new Result.Translated(4));
            assertThat(read(0, 2, true)).isEqualTo(dirty(1));
            assertThat(read(0, 2, false)).isEqualTo(dirty(1));
            assertThat(read(0, 2, false)).as("cleared by the read").isEqualTo(dirty());
            assertThat(call(new Dma(DEV1, Pasid.NONE, 0, Access.WRITE))).isEqualTo(new Result.Translated(4));
            ok(new Operation.SetDirtyTracking(VM1, hwpt, false));
            assertThat(read(0, 2, false)).as("tracking off: nothing is read").isEqualTo(dirty());
            ok(new Operation.SetDirtyTracking(VM1, hwpt, true));
            assertThat(read(0, 2, false)).as("enabling cleared the bit").isEqualTo(dirty());
        }

        @Test
        @DisplayName("DIRTY-4: a read reports and clears its range only")
        void aReadKeepsToItsRange() {
            assertThat(call(new Attach(DEV1, Pasid.NONE, hwpt)).isOk()).isTrue();
            ok(new Operation.SetDirtyTracking(VM1, hwpt, true));
            assertThat(call(new Dma(DEV1, Pasid.NONE, 0, Access.WRITE))).isEqualTo(new Result.Translated(4));
            assertThat(call(new Dma(DEV1, Pasid.NONE, 1, Access.WRITE))).isEqualTo(new Result.Translated(5));
            assertThat(read(0, 1, false)).isEqualTo(dirty(0));
            assertThat(read(1, 1, false)).isEqualTo(dirty(1));
            assertThat(read(0, 2, false)).isEqualTo(dirty());
        }

        @Test
        @DisplayName("DIRTY-4, DIRTY-6: a read stops at a hole and succeeds; an unmap takes the bits with it")
        void holesAndUnmap() {
            ok(new MapArea(VM1, ioas, 3, 1, 7, Access.READ_WRITE));
            assertThat(call(new Attach(DEV1, Pasid.NONE, hwpt)).isOk()).isTrue();
            ok(new Operation.SetDirtyTracking(VM1, hwpt, true));
            assertThat(call(new Dma(DEV1, Pasid.NONE, 1, Access.WRITE))).isEqualTo(new Result.Translated(5));
            assertThat(call(new Dma(DEV1, Pasid.NONE, 3, Access.WRITE))).isEqualTo(new Result.Translated(7));
            assertThat(read(1, 4, true)).as("page 2 is a hole: the read stops there").isEqualTo(dirty(1));
            assertThat(read(3, 1, true)).isEqualTo(dirty(3));
            assertThat(call(new Unmap(VM1, ioas, 3, 1))).isEqualTo(new Result.Unmapped(1));
            ok(new MapArea(VM1, ioas, 3, 1, 7, Access.READ_WRITE));
            assertThat(read(3, 1, false)).as("a new mapping starts clean").isEqualTo(dirty());
        }
    }

    /** Maps at an IOVA the implementation chooses, under the iommufd profile on the default bounds (IOVA pages 0..7). */
    @Nested
    @DisplayName("chosen IOVAs (iommufd)")
    class ChosenIovas {
        int ioas;

        @BeforeEach
        void iommufd() {
            useIommufd(Bounds.defaults());
            ioas = ioas(VM1);
        }

        int mapAuto(int pages, int host) {
            Result result = call(new Operation.MapAreaAuto(VM1, ioas, pages, host, Access.READ_WRITE));
            assertThat(result).isInstanceOf(Result.Mapped.class);
            return ((Result.Mapped) result).iova();
        }

        @Test
        @DisplayName("IOAS-11: any IOVA but 0, aligned to the length's power of two and the host page's lowest bit, clear of areas")
        void chosenIovasAreAlignedAndFree() {
            assertThat(mapAuto(4, 4)).as("4 pages from host page 4: aligned to 4, never 0, and 4 + 4 is the end")
                    .isEqualTo(4);
            assertThat(mapAuto(2, 0)).as("2 pages: aligned to 2, clear of 4..7").isEqualTo(2);
            assertThat(mapAuto(1, 3)).as("1 page: what is left").isEqualTo(1);
            fails(new Operation.MapAreaAuto(VM1, ioas, 1, 0, Access.READ), ENOSPC);
        }

        @Test
        @DisplayName("IOAS-11: the checks in order; no room left is ENOSPC")
        void checksAndNoRoom() {
            fails(new Operation.MapAreaAuto(VM1, ioas, 1, 0, Access.NONE), EINVAL);
            fails(new Operation.MapAreaAuto(VM1, ioas == 1 ? 2 : 1, 1, 0, Access.READ), ENOENT);
            fails(new Operation.MapAreaAuto(VM1, ioas, 0, 0, Access.READ), EINVAL);
            fails(new Operation.MapAreaAuto(VM1, ioas, 2, 7, Access.READ), EINVAL);
            ok(new MapArea(VM1, ioas, 1, 7, 0, Access.READ));
            fails(new Operation.MapAreaAuto(VM1, ioas, 1, 0, Access.READ), ENOSPC);
        }

        @Test
        @DisplayName("IOAS-12: the allowed range bounds the chosen IOVAs only, and can be cleared")
        void allowedRange() {
            ok(new Operation.AllowIovas(VM1, ioas, 4, 2));
            assertThat(mapAuto(1, 0)).isIn(4, 5);
            ok(new MapArea(VM1, ioas, 1, 1, 0, Access.READ));
            fails(new Operation.AllowIovas(VM1, ioas, -1, 2), EINVAL);
            ok(new Operation.AllowIovas(VM1, ioas, 6, 2));
            assertThat(mapAuto(2, 0)).isEqualTo(6);
            fails(new Operation.MapAreaAuto(VM1, ioas, 1, 0, Access.READ), ENOSPC);
            ok(new Operation.AllowIovas(VM1, ioas, 0, 0));
            assertThat(mapAuto(1, 0)).isIn(2, 3, 4, 5);
        }
    }

    /** Reserved ranges other than the defaults': a range inside the IOVA window, a device with two. */
    @Nested
    @DisplayName("reserved IOVA ranges of other devices (iommufd)")
    class OtherReservedRanges {

        void devicesReserving(ReservedRange... ranges) {
            Bounds defaults = Bounds.defaults();
            java.util.List<DeviceSpec> devices = new java.util.ArrayList<>(defaults.devices());
            devices.set(0, devices.get(0).withReserved(java.util.List.of(ranges)));
            useIommufd(new Bounds(defaults.capacity(), defaults.pasidMax(), defaults.vms(), devices, defaults.iovaPages(),
                    defaults.hostPages(), defaults.maxObjects(), defaults.mms(), defaults.mmPages(), defaults.groups()));
        }

        @Test
        @DisplayName("RESV-1, RESV-2, RESV-3: a range in the middle reserves its pages and no more")
        void aRangeReservesItsPagesOnly() {
            devicesReserving(new ReservedRange(3, 1));
            int ioas = ioas(VM1);
            ok(new MapArea(VM1, ioas, 4, 1, 1, Access.READ));
            ok(new Operation.AllowIovas(VM1, ioas, 4, 2));
            assertThat(call(new Attach(DEV1, Pasid.NONE, ioas)).isOk()).as("pages 4 and 5 are not reserved").isTrue();
            fails(new MapArea(VM1, ioas, 3, 1, 0, Access.READ), EINVAL);
            ok(new MapArea(VM1, ioas, 2, 1, 0, Access.READ));
        }

        @Test
        @DisplayName("RESV-2: an attach refused by a device's second range keeps none of its ranges")
        void aRefusedAttachKeepsNoneOfItsRanges() {
            devicesReserving(new ReservedRange(1, 1), new ReservedRange(3, 1));
            int ioas = ioas(VM1);
            int hwpt = hwpt(VM1, ioas, false, false);
            ok(new MapArea(VM1, ioas, 3, 1, 0, Access.READ));
            assertThat(call(new Attach(DEV1, Pasid.NONE, hwpt))).isEqualTo(Result.failed(EADDRINUSE));
            ok(new MapArea(VM1, ioas, 1, 1, 1, Access.READ));
        }
    }

    /**
     * The IOVA ranges a device reserves, under the iommufd profile on the default bounds: device 1
     * reserves IOVA page 7 (RESV-*).
     */
    @Nested
    @DisplayName("reserved IOVA ranges (iommufd)")
    class ReservedRanges {
        int ioas;

        @BeforeEach
        void iommufd() {
            useIommufd(Bounds.defaults());
            ioas = ioas(VM1);
        }

        Result attach(int pasid, int table) {
            return call(new Attach(DEV1, pasid, table));
        }

        @Test
        @DisplayName("RESV-1, RESV-2, RESV-3: an area over the range refuses the RID; attached, the range refuses maps; detached, it is free")
        void attachReservesUntilDetach() {
            ok(new MapArea(VM1, ioas, 6, 2, 0, Access.READ));
            assertThat(attach(Pasid.NONE, ioas)).isEqualTo(Result.failed(EADDRINUSE));
            assertThat(call(new QueryAttachment(DEV1, Pasid.NONE))).as("nothing attached, no automatic HWPT made")
                    .isEqualTo(new Result.AttachedTable(0));
            assertThat(call(new Unmap(VM1, ioas, 6, 2))).isEqualTo(new Result.Unmapped(2));
            assertThat(attach(Pasid.NONE, ioas).isOk()).isTrue();
            fails(new MapArea(VM1, ioas, 7, 1, 0, Access.READ), EINVAL);
            fails(new MapArea(VM1, ioas, 6, 2, 0, Access.READ), EINVAL);
            ok(new MapArea(VM1, ioas, 6, 1, 0, Access.READ));
            ok(new Detach(DEV1, Pasid.NONE));
            ok(new MapArea(VM1, ioas, 7, 1, 1, Access.READ));
        }

        @Test
        @DisplayName("RESV-3: the reserved range is checked before the areas: EINVAL, not EEXIST")
        void reservedBeforeAreas() {
            ok(new MapArea(VM1, ioas, 5, 2, 0, Access.READ));
            assertThat(attach(Pasid.NONE, ioas).isOk()).isTrue();
            fails(new MapArea(VM1, ioas, 6, 2, 0, Access.READ), EINVAL);
            fails(new MapArea(VM1, ioas, 5, 1, 0, Access.READ), EEXIST);
        }

        @Test
        @DisplayName("RESV-1: a PASID attachment reserves nothing; a nested HWPT reserves in its parent's IOAS")
        void pasidsReserveNothingNestedReservesInTheParent() {
            int pasidTable = hwpt(VM1, ioas, false, true);
            assertThat(attach(1, pasidTable).isOk()).isTrue();
            ok(new MapArea(VM1, ioas, 7, 1, 0, Access.READ));
            ok(new Detach(DEV1, 1));
            int parent = hwpt(VM1, ioas, true, false);
            int nested = id(new AllocHwptNested(VM1, parent, false, 0));
            assertThat(attach(Pasid.NONE, nested)).isEqualTo(Result.failed(EADDRINUSE));
            assertThat(call(new Unmap(VM1, ioas, 7, 1))).isEqualTo(new Result.Unmapped(1));
            assertThat(attach(Pasid.NONE, nested).isOk()).isTrue();
            fails(new MapArea(VM1, ioas, 7, 1, 0, Access.READ), EINVAL);
        }

        @Test
        @DisplayName("RESV-1, RESV-2: a replace onto another IOAS moves the reservation, or fails and keeps it")
        void replaceMovesTheReservation() {
            int first = hwpt(VM1, ioas, false, false);
            int sameIoas = hwpt(VM1, ioas, false, false);
            int other = ioas(VM1);
            int onOther = hwpt(VM1, other, false, false);
            ok(new MapArea(VM1, other, 7, 1, 0, Access.READ));
            assertThat(attach(Pasid.NONE, first).isOk()).isTrue();
            assertThat(call(new Replace(DEV1, Pasid.NONE, onOther))).isEqualTo(Result.failed(EADDRINUSE));
            assertThat(call(new QueryAttachment(DEV1, Pasid.NONE))).isEqualTo(new Result.AttachedTable(first));
            fails(new MapArea(VM1, ioas, 7, 1, 0, Access.READ), EINVAL);
            assertThat(call(new Replace(DEV1, Pasid.NONE, sameIoas)).isOk()).isTrue();
            fails(new MapArea(VM1, ioas, 7, 1, 0, Access.READ), EINVAL);
            assertThat(call(new Unmap(VM1, other, 7, 1))).isEqualTo(new Result.Unmapped(1));
            assertThat(call(new Replace(DEV1, Pasid.NONE, onOther)).isOk()).isTrue();
            ok(new MapArea(VM1, ioas, 7, 1, 0, Access.READ));
            fails(new MapArea(VM1, other, 7, 1, 0, Access.READ), EINVAL);
        }

        @Test
        @DisplayName("RESV-2: an allowed range that begins on the reserved page refuses the RID")
        void anAllowedRangeStartingOnTheReservedPage() {
            ok(new Operation.AllowIovas(VM1, ioas, 7, 1));
            assertThat(attach(Pasid.NONE, ioas)).isEqualTo(Result.failed(EADDRINUSE));
            ok(new Operation.AllowIovas(VM1, ioas, 5, 2));
            assertThat(attach(Pasid.NONE, ioas).isOk()).isTrue();
        }

        @Test
        @DisplayName("RESV-2: a replace refused after the reservation (ATT-12) leaves nothing reserved in the new IOAS")
        void aReplaceRefusedLaterReservesNothing() {
            int first = hwpt(VM1, ioas, false, true);
            int other = ioas(VM1);
            int plain = hwpt(VM1, other, false, false);
            assertThat(attach(Pasid.NONE, first).isOk()).isTrue();
            assertThat(attach(1, hwpt(VM1, ioas, false, true)).isOk()).isTrue();
            assertThat(call(new Replace(DEV1, Pasid.NONE, plain))).as("a PASID is attached: ATT-12")
                    .isEqualTo(Result.failed(EINVAL));
            ok(new MapArea(VM1, other, 7, 1, 0, Access.READ));
            fails(new MapArea(VM1, ioas, 7, 1, 0, Access.READ), EINVAL);
        }

        @Test
        @DisplayName("RESV-3, RESV-4: copies refuse the range, chosen IOVAs avoid it, allowed ranges may not meet it")
        void copiesChosenIovasAndAllowedRanges() {
            ok(new MapArea(VM1, ioas, 0, 1, 0, Access.READ));
            ok(new Operation.AllowIovas(VM1, ioas, 4, 4));
            assertThat(attach(Pasid.NONE, ioas)).as("the allowed range covers page 7").isEqualTo(Result.failed(EADDRINUSE));
            ok(new Operation.AllowIovas(VM1, ioas, 4, 3));
            assertThat(attach(Pasid.NONE, ioas).isOk()).isTrue();
            fails(new Operation.CopyArea(VM1, ioas, 7, ioas, 0, 1, Access.READ), EINVAL);
            fails(new Operation.AllowIovas(VM1, ioas, 6, 2), EADDRINUSE);
            ok(new Operation.AllowIovas(VM1, ioas, 0, 0));
            assertThat(call(new Operation.MapAreaAuto(VM1, ioas, 4, 4, Access.READ)))
                    .as("4 pages aligned to 4: 4..7 meets page 7").isEqualTo(Result.failed(ENOSPC));
            assertThat(call(new Operation.MapAreaAuto(VM1, ioas, 2, 0, Access.READ))).isIn(
                    new Result.Mapped(2), new Result.Mapped(4));
        }
    }
}
