package dev.ioasid.reports;

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
}
