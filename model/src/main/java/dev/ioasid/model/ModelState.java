package dev.ioasid.model;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceResponse;
import dev.ioasid.contract.PasidState;
import dev.ioasid.contract.RequestedPage;
import io.vavr.collection.HashMap;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import io.vavr.control.Option;

/**
 * One state of the contract: immutable, compared by value. Every update returns a new state.
 *
 * @param sets        the IOASID set of each VM that has one
 * @param pasids      every PASID held by a set, by value (values are unique system-wide: PASID-4)
 * @param objects     every object, by (VM, ID)
 * @param attachments what is attached at each attach point
 * @param mm          the pages every process maps (for SVA)
 * @param partial     page requests held until their group's last request, by (device, PASID, group)
 * @param answers     the page responses each device received, in order, each with its group's serial
 * @param nextSerial  the serial the next completed group gets
 * @param answered    the serials of every group answered so far (so that "answered at most once" is
 *                    checked without walking the response logs)
 * @param design      who handles page request groups (the contract's design unless a variant is explored)
 */
public record ModelState(Bounds bounds,
                         Map<Integer, IoasidSet> sets,
                         Map<Integer, PasidEntry> pasids,
                         Map<ObjectKey, ModelObject> objects,
                         Map<AttachPoint, Integer> attachments,
                         Map<MmPage, MmMapping> mm,
                         Map<GroupKey, List<RequestedPage>> partial,
                         Map<Integer, List<Answer>> answers,
                         long nextSerial,
                         io.vavr.collection.Set<Long> answered,
                         Design design,
                         List<QueuedGroup> prq,
                         FaultDelivery delivery) {

    /** A VM's set: its reserved quota and how many PASIDs it holds. */
    public record IoasidSet(int quota, int used) {
    }

    /** An allocated PASID: the VM whose set holds it, its state and its reference count. */
    public record PasidEntry(int vm, PasidState state, int refs) {
        PasidEntry withRefs(int refs) {
            return new PasidEntry(vm, state, refs);
        }
    }

    // The keys below are looked up on every step; plain hashCode/equals spare the record's
    // generic (method-handle) implementations, which the explorer's profile showed.
    public record ObjectKey(int vm, int id) {
        @Override public int hashCode() {
            return vm * 31 + id;
        }

        @Override public boolean equals(Object o) {
            return o instanceof ObjectKey k && k.vm == vm && k.id == id;
        }
    }

    public record AttachPoint(int device, int pasid) {
        @Override public int hashCode() {
            return device * 31 + pasid;
        }

        @Override public boolean equals(Object o) {
            return o instanceof AttachPoint p && p.device == device && p.pasid == pasid;
        }
    }

    public record MmPage(int mm, int page) {
    }

    public record MmMapping(int host, Access access) {
    }

    /** A page request group of an attach point. */
    public record GroupKey(int device, int pasid, int group) {
        @Override public int hashCode() {
            return (device * 31 + pasid) * 31 + group;
        }

        @Override public boolean equals(Object o) {
            return o instanceof GroupKey k && k.device == device && k.pasid == pasid && k.group == group;
        }
    }

    /** A response a device received, and the serial of the group it answered. */
    /**
     * A completed group in the IOMMU's page request queue, not yet taken by the driver's handler
     * (interleaved delivery only): its serial, where it came from and its requests; {@code orphaned}
     * once the attachment it was issued under went away with the group still queued (FLT-8).
     */
    public record QueuedGroup(long serial, int device, int pasid, int group, List<RequestedPage> requests,
                              boolean orphaned) {
    }

    public record Answer(long serial, DeviceResponse response) {
    }

    public static ModelState initial(Bounds bounds) {
        return initial(bounds, Design.PAGE_TABLE_OWNER);
    }

    public static ModelState initial(Bounds bounds, Design design) {
        return initial(bounds, design, FaultDelivery.ATOMIC);
    }

    public static ModelState initial(Bounds bounds, Design design, FaultDelivery delivery) {
        return new ModelState(bounds, HashMap.empty(), HashMap.empty(), HashMap.empty(), HashMap.empty(),
                HashMap.empty(), HashMap.empty(), HashMap.empty(), 1, io.vavr.collection.HashSet.empty(), design,
                List.empty(), delivery);
    }

    /** Capacity reserved by every set's quota. */
    public int reserved() {
        int reserved = 0;
        for (var set : sets) {
            reserved += set._2.quota();
        }
        return reserved;
    }

    public Option<ModelObject> object(int vm, int id) {
        return objects.get(new ObjectKey(vm, id));
    }

    public Option<Integer> attached(int device, int pasid) {
        return attachments.get(new AttachPoint(device, pasid));
    }

    /**
     * The attach point whose table handles (device, PASID): the point itself; or, for a device whose
     * driver lets the guest own the PASID table, a PASID with nothing attached of its own goes
     * through the nested HWPT attached to the RID (PRQ-8: io-pgfault.c, find_fault_handler).
     */
    public int handlingPasid(int device, int pasid) {
        if (pasid == dev.ioasid.contract.Pasid.NONE || attachments.containsKey(new AttachPoint(device, pasid))) {
            return pasid;
        }
        if (!bounds.device(device).map(dev.ioasid.contract.DeviceSpec::guestPasidTable).orElse(false)) {
            return pasid;
        }
        Option<Integer> rid = attached(device, dev.ioasid.contract.Pasid.NONE);
        boolean nested = rid.flatMap(id -> object(vmOf(device), id)).exists(t -> t instanceof ModelObject.HwptNested);
        return nested ? dev.ioasid.contract.Pasid.NONE : pasid;
    }

    /** The device's VM; callers have checked the device exists (GEN-1). */
    public int vmOf(int device) {
        // A plain loop: this runs several times a step.
        for (int i = 0; i < bounds.devices().size(); i++) {
            if (bounds.devices().get(i).id() == device) {
                return bounds.devices().get(i).vm();
            }
        }
        throw new java.util.NoSuchElementException("no device " + device + " in the bounds");
    }

    ModelState withSets(Map<Integer, IoasidSet> sets) {
        return new ModelState(bounds, sets, pasids, objects, attachments, mm, partial, answers, nextSerial, answered, design, prq, delivery);
    }

    ModelState withPasids(Map<Integer, PasidEntry> pasids) {
        return new ModelState(bounds, sets, pasids, objects, attachments, mm, partial, answers, nextSerial, answered, design, prq, delivery);
    }

    ModelState withObjects(Map<ObjectKey, ModelObject> objects) {
        return new ModelState(bounds, sets, pasids, objects, attachments, mm, partial, answers, nextSerial, answered, design, prq, delivery);
    }

    ModelState withAttachments(Map<AttachPoint, Integer> attachments) {
        return new ModelState(bounds, sets, pasids, objects, attachments, mm, partial, answers, nextSerial, answered, design, prq, delivery);
    }

    ModelState withMm(Map<MmPage, MmMapping> mm) {
        return new ModelState(bounds, sets, pasids, objects, attachments, mm, partial, answers, nextSerial, answered, design, prq, delivery);
    }

    ModelState withPartial(Map<GroupKey, List<RequestedPage>> partial) {
        return new ModelState(bounds, sets, pasids, objects, attachments, mm, partial, answers, nextSerial, answered, design, prq, delivery);
    }

    ModelState withPrq(List<QueuedGroup> prq) {
        return new ModelState(bounds, sets, pasids, objects, attachments, mm, partial, answers, nextSerial, answered, design, prq, delivery);
    }

    ModelState withNextSerial(long nextSerial) {
        return new ModelState(bounds, sets, pasids, objects, attachments, mm, partial, answers, nextSerial, answered, design, prq, delivery);
    }

    /** The device receives a response for the group with this serial. */
    ModelState answer(long serial, int device, DeviceResponse response) {
        List<Answer> received = answers.get(device).getOrElse(List.empty()).append(new Answer(serial, response));
        return new ModelState(bounds, sets, pasids, objects, attachments, mm, partial, answers.put(device, received),
                nextSerial, answered.add(serial), design, prq, delivery);
    }

    /** How many responses the devices received in all. */
    public long answerCount() {
        return answerCount(answers);
    }

    /** How many responses there are in these logs (the explorer memoises it by the map). */
    public static long answerCount(Map<Integer, List<Answer>> answers) {
        long count = 0;
        for (var received : answers) {
            count += received._2.length();
        }
        return count;
    }

    /** What the device received, in order. */
    public List<DeviceResponse> responses(int device) {
        return answers.get(device).getOrElse(List.empty()).map(Answer::response);
    }

    ModelState putObject(int vm, int id, ModelObject object) {
        return withObjects(objects.put(new ObjectKey(vm, id), object));
    }

    /** Adds {@code delta} to the users of object {@code id} of {@code vm}. */
    ModelState addUsers(int vm, int id, int delta) {
        ModelObject target = object(vm, id).get();
        return putObject(vm, id, target.withUsers(target.users() + delta));
    }

    /**
     * Adds {@code delta} to a PASID's references; a free-pending PASID whose last reference goes is
     * released, and its set's usage drops (PASID-6).
     */
    ModelState addPasidRefs(int pasid, int delta) {
        PasidEntry entry = pasids.get(pasid).get();
        PasidEntry updated = entry.withRefs(entry.refs() + delta);
        if (updated.refs() == 0 && updated.state() == PasidState.FREE_PENDING) {
            return release(pasid);
        }
        return withPasids(pasids.put(pasid, updated));
    }

    /** Removes a PASID from its set: its value becomes free and the set's usage drops. */
    ModelState release(int pasid) {
        PasidEntry entry = pasids.get(pasid).get();
        IoasidSet set = sets.get(entry.vm()).get();
        return withPasids(pasids.remove(pasid))
                .withSets(sets.put(entry.vm(), new IoasidSet(set.quota(), set.used() - 1)));
    }
}
