package dev.ioasid.reports;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.Result;
import java.util.List;
import java.util.OptionalLong;

/** Traces for the format and rendering tests. */
final class SampleTraces {
    private SampleTraces() {
    }

    static Trace replaceNotAtomic() {
        return new Trace("fuzz", "replace-not-atomic", Bounds.defaults(), OptionalLong.of(20210601L),
                "queryAttachment(dev=1, pasid=none) returned ok(detached), expected ok(table=1) by ATT-11",
                List.of("ATT-11"), 3, List.of(
                new TraceStep(new Operation.AllocIoas(1), new Result.Allocated(1), "ok(id) with id in {1, 2, 3, 4, 5, 6}",
                        List.of("OBJ-2"), List.of("+ vm 1 object 1: IOAS users=0 areas=[]")),
                new TraceStep(new Operation.Attach(1, Pasid.NONE, 1), Result.done(), "ok", List.of("ATT-6"),
                        List.of("+ attach (dev=1, pasid=none): table 1", "~ vm 1 object 1: IOAS users=1 areas=[]")),
                new TraceStep(new Operation.Replace(1, Pasid.NONE, 2), Result.failed(Errno.ENOENT), "ENOENT",
                        List.of("OBJ-1"), List.of()),
                new TraceStep(new Operation.QueryAttachment(1, Pasid.NONE), new Result.AttachedTable(0),
                        "ok(table=1)", List.of("ATT-11"), List.of())));
    }

    /** The same failure with its root cause: the refused replace that detached, shown by the query after it. */
    static Trace replaceNotAtomicWithCause() {
        return replaceNotAtomic().withCause(new Trace.Cause(2, List.of("OBJ-1"),
                "queryAttachment(dev=1, pasid=none) returned ok(detached), expected ok(table=1) [ATT-11]"));
    }

    /**
     * The explorer's counterexample to the both-register design (default explore bounds): a page
     * request group of a vfio-pci device is delivered twice to the same fault queue, once by the
     * driver's forwarder and once by the table's queue.
     */
    static Trace groupHeldTwice() {
        return new Trace("explore", "model/both-register", Bounds.small(), OptionalLong.empty(),
                "design both-register: invariant \"every group has exactly one owner and is answered at most once\" "
                        + "(PRQ-2, FLT-4, FLT-5) is violated: group #1 is held twice",
                List.of("PRQ-2", "FLT-4", "FLT-5"), 4, List.of(
                new TraceStep(new Operation.AllocIoas(1), new Result.Allocated(1), "ok(id=1)", List.of("OBJ-2"),
                        List.of("+ vm 1 object 1: IOAS users=0 areas=[]")),
                new TraceStep(new Operation.AllocFaultQueue(1), new Result.Allocated(2), "ok(id=2)", List.of("OBJ-2"),
                        List.of("+ vm 1 object 2: FAULT_QUEUE users=0 delivered=[] awaiting=[]")),
                new TraceStep(new Operation.AllocHwptPaging(1, 1, false, false, 2), new Result.Allocated(3), "ok(id=3)",
                        List.of("HWPT-1", "HWPT-2", "HWPT-8", "OBJ-2"), List.of(
                        "~ vm 1 object 1: IOAS users=1 areas=[]",
                        "~ vm 1 object 2: FAULT_QUEUE users=1 delivered=[] awaiting=[]",
                        "+ vm 1 object 3: HWPT_PAGING users=0 ioas=1 fault=2")),
                new TraceStep(new Operation.Attach(1, Pasid.NONE, 3), Result.done(), "ok", List.of("ATT-6"), List.of(
                        "+ attach (dev=1, pasid=none): table 3", "~ vm 1 object 3: HWPT_PAGING users=1 ioas=1 fault=2")),
                new TraceStep(new Operation.PageRequest(1, Pasid.NONE, 0, Access.READ, 0, true), Result.done(), "ok",
                        List.of("PRQ-2", "PRQ-4"), List.of("~ vm 1 object 2: FAULT_QUEUE users=1 delivered=[group 0 of "
                        + "(dev=1, pasid=none) at PAGING, group 0 of (dev=1, pasid=none) at PAGING] awaiting=[]"))));
    }
}
