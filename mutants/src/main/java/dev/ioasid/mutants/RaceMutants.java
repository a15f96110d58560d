package dev.ioasid.mutants;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Interleaving;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.reference.AttachLookup;
import dev.ioasid.reference.ConcurrentReference;
import dev.ioasid.reference.DeviceAttach;
import dev.ioasid.reference.DmaPath;
import dev.ioasid.reference.IoPageFaults;
import dev.ioasid.reference.IoPagetableOps;
import dev.ioasid.reference.Iotlb;
import dev.ioasid.reference.MmSpace;
import dev.ioasid.reference.ObjectOps;
import dev.ioasid.reference.ObjectTables;
import dev.ioasid.reference.PasidSpace;
import dev.ioasid.reference.Objects.FaultQueue;
import dev.ioasid.reference.Objects.Ioas;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.IoptArea;
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
 * replace-detach-then-attach two IOASes and an attach of one, then a replace to the other against a
 * query that finds nothing attached in its gap; for destroy-check-then-free an IOAS, then an attach of it and its destroy;
 * for respond-racing-detach a fault queue, an IOAS, an HWPT with the queue, its attach, a page
 * request delivered and read (six calls alone), then two responds with the cookie at once; for
 * unmap-flush-outside-lock an IOAS, an area, an attach and a DMA that fills the IOTLB, then an unmap
 * against a query that sees the area gone and a DMA that still translates; for
 * auto-respond-before-detach a fault queue, an IOAS, an HWPT with the queue and its attach, then a
 * detach and a query of the device's responses against a page request (no INVALID ever comes); for
 * fault-read-lost-wakeup the same HWPT with both devices attached and one group delivered, then two
 * reads against a page request of the other device (the second read finds nothing).
 */
public final class RaceMutants {

    private RaceMutants() {
    }

    public static final List<Mutant> ALL = List.of(
            inside("replace-detach-then-attach", "replace takes the old table off the point, lets go of the lock, then "
                    + "puts the new one on: a call in between sees the point detached", "ATT-8", 5, ReplaceInTwo::new),
            race("attach-check-then-act", "attach checks the point is free, lets go of the lock, then attaches, "
                    + "replacing whatever another thread attached meanwhile", "ATT-1", 3, RaceMutants::attachCheckThenAct),
            inside("destroy-check-then-free", "destroy checks the object is unused, lets go of the lock, then frees "
                    + "it, though an attach took a reference meanwhile", "OBJ-3", 3, DestroyCheckThenFree::new),
            inside("respond-racing-detach", "respond looks up the group by its cookie, lets go of the lock, then "
                    + "answers it, though another respond or a detach answered it meanwhile: the group is answered twice",
                    "FLT-3", 8, RespondRacingDetach::new),
            inside("unmap-flush-outside-lock", "unmap clears the page tables, lets go of the lock, then flushes the "
                    + "IOTLB: a DMA in between still translates through the range unmap removed", "XLT-2", 7,
                    UnmapFlushOutsideLock::new),
            inside("auto-respond-before-detach", "detach answers the point's groups INVALID, lets go of the lock, then "
                    + "detaches: a group that arrives in between is queued for a point no longer attached and never "
                    + "answered (a PASID released while a fault for it is queued)", "FLT-5", 7, AutoRespondBeforeDetach::new),
            inside("fault-read-lost-wakeup", "a fault queue's read empties the queue, lets go of the lock, then clears "
                    + "its ready flag: a group delivered in between loses its wakeup, and reads return nothing while it "
                    + "waits", "FLT-1", 9, ReadLosesWakeup::new));

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

    /** Replace checks everything, then takes the old table off and puts the new one on with the lock let go between. */
    static final class ReplaceInTwo extends ReferenceImplementation {
        ReplaceInTwo(Bounds bounds) {
            super(bounds);
        }

        @Override protected DeviceAttach newDeviceAttach(Bounds bounds, ObjectTables objects, PasidSpace pasids, Iotlb iotlb,
                                                         IoPageFaults iopf) {
            return new DeviceAttach(bounds, objects, pasids, iotlb, iopf) {
                @Override protected void swapTable(int device, int pasid, IommufdObject hwpt) {
                    clearPoint(device, pasid);
                    Interleaving.letGo();
                    super.swapTable(device, pasid, hwpt);
                }
            };
        }
    }

    /** The IOTLB flush of an unmap done with the lock let go, after the page tables were cleared. */
    static final class UnmapFlushOutsideLock extends ReferenceImplementation {
        UnmapFlushOutsideLock(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPagetableOps newIoPagetableOps(Bounds bounds, Iotlb iotlb) {
            return new IoPagetableOps(bounds, iotlb) {
                @Override protected void flushIotlb(Ioas ioas, IoptArea area) {
                    Interleaving.letGo();
                    super.flushIotlb(ioas, area);
                }
            };
        }
    }

    /**
     * Detach answers the point's groups before it takes the point away, with the lock let go between
     * (the reverse of iommufd_fault_domain_detach_dev(), which detaches the handle first and then
     * answers what is left): a group routed in between lands in the queue behind the old handle.
     */
    static final class AutoRespondBeforeDetach extends ReferenceImplementation {
        AutoRespondBeforeDetach(Bounds bounds) {
            super(bounds);
        }

        /** The fault handling, told when the groups of the point being detached were answered already. */
        static final class AnsweredAhead extends IoPageFaults {
            boolean answeredAhead;

            AnsweredAhead(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
                super(bounds, attached, dmaPath, mm);
            }

            @Override public void abandonPoint(int device, int pasid, IommufdObject oldTable) {
                if (!answeredAhead) {
                    super.abandonPoint(device, pasid, oldTable);
                }
            }
        }

        @Override protected IoPageFaults newIoPageFaults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
            return new AnsweredAhead(bounds, attached, dmaPath, mm);
        }

        @Override protected DeviceAttach newDeviceAttach(Bounds bounds, ObjectTables objects, PasidSpace pasids, Iotlb iotlb,
                                                         IoPageFaults iopf) {
            AnsweredAhead faults = (AnsweredAhead) iopf;
            return new DeviceAttach(bounds, objects, pasids, iotlb, iopf) {
                @Override public int detach(int device, int pasid) {
                    IommufdObject old = attachedAt(device, pasid);
                    if (old == null) {
                        return super.detach(device, pasid);
                    }
                    faults.abandonPoint(device, pasid, old);
                    Interleaving.letGo();
                    faults.answeredAhead = true;
                    try {
                        return super.detach(device, pasid);
                    } finally {
                        faults.answeredAhead = false;
                    }
                }
            };
        }
    }

    /**
     * A fault queue with a ready flag, as a poll()able file has: delivery sets it, a read that finds it
     * clear returns at once, and a read clears it once it has copied the groups out, with the lock let
     * go in between, so a group delivered meanwhile is left behind a clear flag.
     */
    static final class ReadLosesWakeup extends ReferenceImplementation {
        ReadLosesWakeup(Bounds bounds) {
            super(bounds);
        }

        @Override protected IoPageFaults newIoPageFaults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
            return new IoPageFaults(bounds, attached, dmaPath, mm) {
                private final java.util.Set<FaultQueue> ready =
                        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

                @Override protected void deliver(FaultQueue queue, IopfGroup group) {
                    super.deliver(queue, group);
                    ready.add(queue);
                }

                @Override protected Result read(FaultQueue queue) {
                    if (!ready.contains(queue)) {
                        return new Result.FaultGroups(List.of());
                    }
                    Result read = super.read(queue);
                    Interleaving.letGo();
                    ready.remove(queue);
                    return read;
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
