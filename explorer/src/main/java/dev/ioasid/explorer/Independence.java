package dev.ioasid.explorer;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;

/**
 * Which operations commute in every state: two operations are independent when neither writes a
 * part of the state the other reads or writes, parts being named per VM object, per device and per
 * mm. Applied in either order from any state, two independent operations then reach states with the
 * same fingerprint, which is all the partial-order reduction of {@link Explorer} relies on
 * ({@code IndependenceTests} checks it on every pair of operations in the states of several walks).
 *
 * <p>What each operation touches is read off the model's steps and over-approximated where the
 * target depends on the state (an unmap updates every paging HWPT mirroring the IOAS, so it writes
 * the pages of every object of the VM; a page request appends to whichever queue owns the fault,
 * so it writes every queue of the VM). The parts:
 * <ul>
 *   <li>{@code SETS}: the IOASID sets and the PASIDs (one system-wide space, PASID-4);</li>
 *   <li>{@code POINTS(device)}: the device's attachments and the page requests it holds;</li>
 *   <li>{@code GROUPS(device)}: which of the device's groups the queues hold (removing a device's
 *       groups from a queue leaves the others in order, and whoever answers a group first, the
 *       counts the fingerprint keeps come out the same);</li>
 *   <li>{@code MM(mm)}: the pages the process maps;</li>
 *   <li>per object: {@code META} (whether it exists, its kind, flags and references),
 *       {@code USERS} (its reference count), {@code PAGES} (an IOAS's areas, a paging HWPT's pages),
 *       {@code STAGE1} (a nested HWPT's entries) and {@code QUEUE} (a fault queue's groups).</li>
 * </ul>
 * Reference counts only move by increments (attach, detach, replace, allocating or destroying an
 * object that refers to another) and increments commute with each other: only reading a count
 * (destroy checks it, OBJ-3) conflicts with changing it. The logs of responses and the serials of
 * groups are left out: the fingerprint keeps only counts of them, which add up the same in either
 * order.
 *
 * <p>Parts are bits of a {@code long}; bounds with more than 64 parts fold several onto one bit,
 * which only makes more operations dependent, never fewer.
 */
final class Independence {
    /** What an operation may read, write, and only add to (reference counts); bits of parts. */
    record Footprint(long reads, long writes, long increments) {
        boolean conflictsWith(Footprint o) {
            return (writes & (o.reads | o.writes | o.increments)) != 0
                    || (o.writes & (reads | increments)) != 0
                    || (increments & o.reads) != 0 || (o.increments & reads) != 0;
        }
    }

    private static final int SETS = 0;
    private static final int META = 0;
    private static final int USERS = 1;
    private static final int PAGES = 2;
    private static final int STAGE1 = 3;
    private static final int QUEUE = 4;
    private static final int PER_OBJECT = 5;

    private final Bounds bounds;
    private final int firstPoint;
    private final int firstMm;
    private final int firstObject;

    /**
     * Interleaved fault delivery: what reads or writes the page request queue (a page request that
     * completes a group, a delivery, a detach or replace, which drains or orphans the point's queued
     * groups and routes them) is taken to depend on everything, which is always sound.
     */
    private final boolean queues;

    Independence(Bounds bounds) {
        this(bounds, dev.ioasid.model.FaultDelivery.ATOMIC);
    }

    Independence(Bounds bounds, dev.ioasid.model.FaultDelivery delivery) {
        this.queues = delivery.queues();
        this.bounds = bounds;
        this.firstPoint = SETS + 1;
        this.firstMm = firstPoint + 2 * bounds.devices().size();
        this.firstObject = firstMm + bounds.mms();
    }

    boolean independent(Operation a, Operation b) {
        return !footprint(a).conflictsWith(footprint(b));
    }

    Footprint footprint(Operation op) {
        if (queues && (op instanceof Operation.PageRequest p && p.last() || op instanceof Operation.DeliverFault
                || op instanceof Operation.Detach || op instanceof Operation.Replace)) {
            return new Footprint(-1L, -1L, 0);
        }
        Parts r = new Parts();
        Parts w = new Parts();
        Parts inc = new Parts();
        if (op instanceof Operation.CreateSet || op instanceof Operation.FreeSet || op instanceof Operation.AllocPasid
                || op instanceof Operation.FreePasid) {
            w.add(SETS);
        } else if (op instanceof Operation.AllocIoas || op instanceof Operation.AllocFaultQueue
                || op instanceof Operation.AllocSva || op instanceof Operation.AllocHwptPaging
                || op instanceof Operation.AllocHwptNested) {
            allocation(((Operation.VmOp) op).vm(), r, w, inc);
        } else if (op instanceof Operation.AllocViommu || op instanceof Operation.AllocVdevice) {
            // An allocation; a vDEVICE also reads every vDEVICE of the VM (virtual IDs, one per device).
            allocation(vmOf(((Operation.DeviceOp) op).device()), r, w, inc);
        } else if (op instanceof Operation.InvalidateViommu o) {
            // Reads the vDEVICEs and which nested HWPTs are on the vIOMMU, and where they are attached;
            // clears stale stage-1 entries of any of them.
            r.addAll(this, o.vm(), META);
            for (DeviceSpec device : bounds.devices()) {
                r.add(point(device.id()));
            }
            w.addAll(this, o.vm(), STAGE1);
        } else if (op instanceof Operation.Destroy o) {
            // Frees its ID (allocations read which IDs are free), drops its references and answers what its queue holds.
            w.add(object(o.vm(), o.id(), META)).add(object(o.vm(), o.id(), QUEUE));
            r.add(object(o.vm(), o.id(), USERS));
            inc.addAll(this, o.vm(), USERS);
        } else if (op instanceof Operation.MapArea || op instanceof Operation.Unmap || op instanceof Operation.UnmapAll
                || op instanceof Operation.CopyArea || op instanceof Operation.MapAreaAuto) {
            mirrored(((Operation.VmOp) op).vm(), r, w);
        } else if (op instanceof Operation.AllowIovas o) {
            // The allowed range is kept with the IOAS's areas: maps at a chosen IOVA read it.
            r.add(object(o.vm(), o.ioas(), META));
            w.add(object(o.vm(), o.ioas(), PAGES));
        } else if (op instanceof Operation.SetDirtyTracking o) {
            r.add(object(o.vm(), o.hwpt(), META));
            w.add(object(o.vm(), o.hwpt(), PAGES)); // the dirty bits live with the table's pages
        } else if (op instanceof Operation.GetDirtyBitmap o) {
            r.add(object(o.vm(), o.hwpt(), META));
            w.add(object(o.vm(), o.hwpt(), PAGES));
        } else if (op instanceof Operation.Dma o) {
            // Not explored, but a write through a dirty-tracking table sets a dirty bit: it reads the
            // point and the tables it walks, and may write any table's pages.
            int vm = vmOf(o.device());
            r.add(point(o.device())).addAll(this, vm, META).addAll(this, vm, STAGE1);
            w.addAll(this, vm, PAGES);
            for (int mm = 1; mm <= bounds.mms(); mm++) {
                r.add(mm(mm));
            }
        } else if (op instanceof Operation.Invalidate o) {
            r.add(object(o.vm(), o.hwpt(), META));
            w.add(object(o.vm(), o.hwpt(), STAGE1));
        } else if (op instanceof Operation.WriteStage1 o) {
            r.add(object(o.vm(), o.hwpt(), META));
            w.add(object(o.vm(), o.hwpt(), STAGE1));
        } else if (op instanceof Operation.ReadFaults o) {
            r.add(object(o.vm(), o.queue(), META));
            w.add(object(o.vm(), o.queue(), QUEUE));
        } else if (op instanceof Operation.Respond o) {
            // Answering a group ends it: whichever device's it was may send that group again (PRQ-7).
            r.add(object(o.vm(), o.queue(), META));
            w.add(object(o.vm(), o.queue(), QUEUE));
            for (DeviceSpec device : bounds.devices()) {
                if (device.vm() == o.vm()) {
                    w.add(groupsOf(device.id()));
                }
            }
        } else if (op instanceof Operation.PageRequest o && !o.last()) {
            // Held until the group's last request: only whether the device's group is outstanding is read.
            w.add(point(o.device()));
            r.add(groupsOf(o.device())).addAll(this, vmOf(o.device()), META);
        } else if (op instanceof Operation.Attach o) {
            int vm = vmOf(o.device());
            w.add(point(o.device()));
            r.add(object(vm, o.table(), META));
            inc.add(object(vm, o.table(), USERS));
            if (o.pasid() != Pasid.NONE) {
                w.add(SETS); // the PASID's state and references
            }
            iommufdAttachment(vm, r, w);
        } else if (op instanceof Operation.Replace o) {
            leavesTheOldTable(o.device(), r, w, inc);
            iommufdAttachment(vmOf(o.device()), r, w);
            if (o.pasid() != Pasid.NONE) {
                r.add(SETS); // the PASID stays referenced by the point
            }
        } else if (op instanceof Operation.Detach o) {
            leavesTheOldTable(o.device(), r, w, inc);
            iommufdAttachment(vmOf(o.device()), r, w);
            if (o.pasid() != Pasid.NONE) {
                w.add(SETS);
            }
        } else if (op instanceof Operation.PageRequest o) {
            // The attached table, the parent it nests in, the mm of an SVA table, and every queue of the VM
            // (PRQ-7 looks for the group in all of them; the owner's queue gets it).
            int vm = vmOf(o.device());
            w.add(point(o.device())).add(groupsOf(o.device()));
            r.addAll(this, vm, META).addAll(this, vm, PAGES).addAll(this, vm, STAGE1);
            w.addAll(this, vm, QUEUE);
            for (int mm = 1; mm <= bounds.mms(); mm++) {
                r.add(mm(mm));
            }
        } else if (op instanceof Operation.MmMap o) {
            w.add(mm(o.mm()));
        } else if (op instanceof Operation.MmUnmap o) {
            w.add(mm(o.mm()));
        } else if (!changesNothing(op)) {
            // An operation this class does not know of: dependent on everything, which is always sound.
            return new Footprint(-1L, -1L, 0);
        }
        return new Footprint(r.bits, w.bits, inc.bits);
    }

    /**
     * Replacing or detaching what a device's point holds: the old table is whatever is attached, so
     * any object's kind and reference count, and any queue's groups of the point (FLT-5).
     */
    /**
     * Under iommufd an attachment change reads the RID's table (ATT-12) and may create or remove an
     * automatic HWPT (ATT-13: a free ID taken, the IOAS's pages copied, its reference counted): it
     * reads and writes the existence and users of every object of the VM, and reads their pages.
     * That covers reserved IOVA ranges too (RESV-1..4): an attachment change reads every IOAS's
     * areas and allowed range, which maps, copies and allowIovas write, and writes every object's
     * existence, which they read.
     */
    private void iommufdAttachment(int vm, Parts r, Parts w) {
        if (bounds.iommufd()) {
            w.addAll(this, vm, META).addAll(this, vm, USERS);
            r.addAll(this, vm, PAGES);
        }
    }

    private void leavesTheOldTable(int device, Parts r, Parts w, Parts inc) {
        int vm = vmOf(device);
        w.add(point(device)).add(groupsOf(device));
        r.addAll(this, vm, META);
        inc.addAll(this, vm, USERS);
    }

    /** Takes the lowest free ID of the VM (so reads which exist), copies the IOAS's areas, refers to others. */
    private void allocation(int vm, Parts r, Parts w, Parts inc) {
        w.addAll(this, vm, META);
        r.addAll(this, vm, PAGES);
        inc.addAll(this, vm, USERS);
    }

    /** An IOAS's areas, and the pages of every paging HWPT built from it (HWPT-2), found by kind. */
    private void mirrored(int vm, Parts r, Parts w) {
        r.addAll(this, vm, META);
        w.addAll(this, vm, PAGES);
    }

    private static boolean changesNothing(Operation op) {
        return Actions.isQuery(op);
    }

    private int vmOf(int device) {
        // Out of bounds, the step fails (GEN-1); VM 0 still names bits.
        return bounds.device(device).map(DeviceSpec::vm).orElse(0);
    }

    private int point(int device) {
        return firstPoint + 2 * deviceIndex(device);
    }

    private int groupsOf(int device) {
        return firstPoint + 2 * deviceIndex(device) + 1;
    }

    private int deviceIndex(int device) {
        for (int i = 0; i < bounds.devices().size(); i++) {
            if (bounds.devices().get(i).id() == device) {
                return i;
            }
        }
        return 0; // out of bounds: the step fails (GEN-1)
    }

    private int mm(int mm) {
        return firstMm + mm - 1;
    }

    private int object(int vm, int id, int part) {
        return firstObject + (((vm - 1) * bounds.maxObjects() + (id - 1)) * PER_OBJECT) + part;
    }

    /** A set of parts as bits; part numbers past 63 fold onto lower bits. */
    private static final class Parts {
        long bits;

        Parts add(int part) {
            bits |= 1L << Math.floorMod(part, 64);
            return this;
        }

        Parts addAll(Independence layout, int vm, int part) {
            for (int id = 1; id <= layout.bounds.maxObjects(); id++) {
                add(layout.object(vm, id, part));
            }
            return this;
        }
    }
}
