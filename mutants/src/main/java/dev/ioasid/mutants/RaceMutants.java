package dev.ioasid.mutants;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Interleaving;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.reference.AttachLookup;
import dev.ioasid.reference.ConcurrentReference;
import dev.ioasid.reference.DmaPath;
import dev.ioasid.reference.IoPageFaults;
import dev.ioasid.reference.IoPagetableOps;
import dev.ioasid.reference.MmSpace;
import dev.ioasid.reference.ObjectOps;
import dev.ioasid.reference.ObjectTables;
import dev.ioasid.reference.Objects.FaultQueue;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.IopfGroup;
import dev.ioasid.reference.ReferenceImplementation;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Planted concurrency bugs: the concurrent reference with one call that drops its lock midway, as
 * kernel code does when it must sleep or call out, and then acts on what it saw before. Each call
 * is correct alone, so only a concurrent history shows the bug: no sequential check can kill these.
 * Some let go inside a call, where a component of the reference marks it ({@link Interleaving#letGo()}).
 * {@code shortestTrace} is the number of calls of the smallest failing history (prefix included),
 * derived by hand: for attach-check-then-act an IOAS and two attaches of it at one point; for
 * replace-detach-then-attach an IOAS and an attach of it, then two replaces: one to a table that does
 * not exist (it detaches, fails to attach, puts the old table back) and one that finds nothing
 * attached in its gap; for destroy-check-then-free an IOAS, then an attach of it and its destroy;
 * for respond-racing-detach a fault queue, an IOAS, an HWPT with the queue, its attach, a page
 * request delivered and read (six calls alone), then two responds with the cookie at once.
 */
public final class RaceMutants {

    private RaceMutants() {
    }

    public static final List<Mutant> ALL = List.of(
            race("replace-detach-then-attach", "replace detaches, lets go of the lock, then attaches the new table: "
                    + "a call in between sees the point detached", "ATT-8", 4, RaceMutants::replaceInTwo),
            race("attach-check-then-act", "attach checks the point is free, lets go of the lock, then attaches, "
                    + "replacing whatever another thread attached meanwhile", "ATT-1", 3, RaceMutants::attachCheckThenAct),
            inside("destroy-check-then-free", "destroy checks the object is unused, lets go of the lock, then frees "
                    + "it, though an attach took a reference meanwhile", "OBJ-3", 3, DestroyCheckThenFree::new),
            inside("respond-racing-detach", "respond looks up the group by its cookie, lets go of the lock, then "
                    + "answers it, though another respond or a detach answered it meanwhile: the group is answered twice",
                    "FLT-3", 8, RespondRacingDetach::new));

    /**
     * Calls a parallel run should make alone before the threads start to find the race: the default
     * (6) for most; a race on a page response needs a group delivered and read first, which random
     * prefixes reach only when they are long.
     */
    public static int prefixFor(Mutant race) {
        return race.name().equals("respond-racing-detach") ? 60 : 6;
    }

    private static Mutant inside(String name, String mistake, String rule, int shortest,
                                 java.util.function.Function<Bounds, ReferenceImplementation> inner) {
        return new Mutant(name, mistake, rule, shortest, bounds -> new Around(inner.apply(bounds)));
    }

    /** The concurrent reference around a reference implementation one of whose components lets go of the lock. */
    static final class Around extends ConcurrentReference {
        Around(ReferenceImplementation inner) {
            super(inner);
        }
    }

    /** OBJ-3 checked, then the lock let go before the object is removed: the check is stale when it acts. */
    static final class DestroyCheckThenFree extends ReferenceImplementation {
        DestroyCheckThenFree(Bounds bounds) {
            super(bounds);
        }

        @Override protected ObjectOps newObjectOps(Bounds bounds, ObjectTables objects, IoPagetableOps iopt, IoPageFaults iopf) {
            return new ObjectOps(bounds, objects, iopt, iopf) {
                @Override protected boolean busy(IommufdObject obj) {
                    boolean busy = super.busy(obj);
                    Interleaving.letGo();
                    return busy;
                }
            };
        }
    }

    /** The group is looked up under the lock and taken after it was let go, whether or not it is still there. */
    static final class RespondRacingDetach extends ReferenceImplementation {
        RespondRacingDetach(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPageFaults newIoPageFaults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
            return new IoPageFaults(bounds, attached, dmaPath, mm) {
                @Override protected IopfGroup takeResponse(FaultQueue queue, int cookie) {
                    IopfGroup group = queue.response.get(cookie);
                    if (group == null) {
                        return null;
                    }
                    Interleaving.letGo();
                    queue.response.remove(cookie);
                    return group;
                }
            };
        }
    }

    private static Mutant race(String name, String mistake, String rule, int shortest,
                               BiFunction<Racy, Operation, Result> call) {
        return new Mutant(name, mistake, rule, shortest, bounds -> new Racy(bounds, call));
    }

    /** The concurrent reference, with one call done the racy way. */
    static final class Racy extends ConcurrentReference {
        private final BiFunction<Racy, Operation, Result> call;

        Racy(Bounds bounds, BiFunction<Racy, Operation, Result> call) {
            super(bounds);
            this.call = call;
        }

        @Override
        public Result apply(Operation op) {
            Result racy = call.apply(this, op);
            return racy != null ? racy : locked(op);
        }

        /** One call under the lock, as the correct implementation makes every call. */
        Result whole(Operation op) {
            return locked(op);
        }
    }

    /** Replace as a detach and an attach, each under the lock but not both: the gap is visible. */
    private static Result replaceInTwo(Racy impl, Operation op) {
        if (!(op instanceof Operation.Replace r)) {
            return null;
        }
        Result before = impl.whole(new Operation.QueryAttachment(r.device(), r.pasid()));
        if (!(before instanceof Result.AttachedTable t) || t.table() == 0) {
            return impl.whole(op); // nothing attached: the plain call's refusal
        }
        Result detached = impl.whole(new Operation.Detach(r.device(), r.pasid()));
        if (!detached.isOk()) {
            return detached;
        }
        Interleaving.point(); // the lock is let go here
        Result attached = impl.whole(new Operation.Attach(r.device(), r.pasid(), r.table()));
        if (!attached.isOk()) {
            impl.whole(new Operation.Attach(r.device(), r.pasid(), t.table())); // put the old one back
        }
        return attached;
    }

    /** Attach decides on a check made before it lets go of the lock: a table attached since is replaced. */
    private static Result attachCheckThenAct(Racy impl, Operation op) {
        if (!(op instanceof Operation.Attach a)) {
            return null;
        }
        Result seen = impl.whole(new Operation.QueryAttachment(a.device(), a.pasid()));
        boolean free = seen instanceof Result.AttachedTable t && t.table() == 0;
        if (!free) {
            return impl.whole(op); // taken: the plain call refuses it
        }
        Interleaving.point(); // the lock is let go here
        Result attached = impl.whole(op);
        if (attached.equals(Result.failed(Errno.EBUSY))) {
            return impl.whole(new Operation.Replace(a.device(), a.pasid(), a.table())); // trusts the stale check
        }
        return attached;
    }
}
