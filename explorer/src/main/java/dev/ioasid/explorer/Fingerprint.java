package dev.ioasid.explorer;

import dev.ioasid.contract.Area;
import dev.ioasid.contract.PageMapping;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.OpenGroup;
import dev.ioasid.model.ModelObject.Stage1Entry;
import dev.ioasid.model.ModelObject.Sva;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.ObjectKey;
import java.util.function.Function;

/**
 * A 64-bit fingerprint of a canonical encoding of a model state, with what only grows with history
 * left out. Each entry of a map (a set, a PASID, an object, an attachment...) is hashed on its own,
 * fully mixed, and the entries of a map are added up: the sum does not depend on the order a
 * persistent hash map iterates in, so nothing needs sorting (a list, such as a queue's groups, is
 * hashed in order within its entry).
 *
 * <p>Object IDs are encoded after renumbering each VM's objects in a canonical order
 * ({@link Symmetry}): states that differ only in which IDs their objects got are one state. That is
 * sound because object IDs are names the contract lets the implementation choose (OBJ-2): every
 * rule and invariant treats them alike, and the explorer offers every ID as an argument, so a
 * renumbered state has the renumbered futures.
 *
 * <p>Left out, and why that is sound: the responses each device received, the serials of completed
 * groups and the next serial, and the cookies a queue handed out in the past. What the invariants
 * need of that history is kept as two counts, 0 in every state that satisfies them: groups completed
 * but neither held nor answered (lost), and answers beyond one per group (answered twice). A state
 * that breaks one of those invariants therefore never shares a fingerprint with one that does not,
 * and is checked. The cookies of groups awaiting a response are encoded by rank (a fresh cookie is
 * any unused one, and the explorer draws respond arguments from the state it expands). Two states
 * with the same encoding have the same futures up to those numbers, so the explorer expands only
 * the first it meets. With these left out the state space is finite under
 * the bounds, given that a group holds at most {@link ExploreConfig#groupRequests()} requests.
 *
 * <p>Also left out when no device of the bounds can issue a PASID: an HWPT's ALLOC_PASID flag. The
 * only rules that read it (ATT-4) and the invariant that does are about attaching to a PASID, which
 * such bounds never allow, and no query shows it; two states that differ only in the flag therefore
 * answer every operation alike and step to states that again differ only in it.
 *
 * <p>Speed: an object's contents are hashed once per state, without IDs ({@link #content}), and
 * serve both the symmetry signature and the encoding. Successors share the objects and maps an
 * operation did not touch with their parent, so those hashes are memoised by identity
 * ({@link IdentityMemo}), and so are the objects and attachments maps taken apart into arrays
 * ({@link Objects}, {@link Attachments}); they are pure functions of immutable values, so the memo
 * cannot change a fingerprint, only skip recomputing it. A successor that shares every encoded map
 * with its parent and moved neither history count is known to be its parent without a fingerprint
 * ({@link #unchangedFrom}).
 */
final class Fingerprint {

    private Fingerprint() {
    }

    /**
     * A state's objects in one pass: where they are, what they are, their ID-free content hashes and
     * the objects each refers to ({@code refs} of them, at most two), in {@link ModelObject#references()} order.
     * Built once per objects map and shared by every state holding that map (see {@link IdentityMemo}),
     * so it is never written after it is built.
     */
    static final class Objects {
        final int[] vms;
        final int[] ids;
        final long[] content;
        final int[] firstRef;
        final int[] secondRef;
        final int[] refs;
        /** Groups the fault queues hold, delivered or awaiting. */
        long held;
        int size;

        Objects(int capacity) {
            vms = new int[capacity];
            ids = new int[capacity];
            content = new long[capacity];
            firstRef = new int[capacity];
            secondRef = new int[capacity];
            refs = new int[capacity];
        }

        /** The index of object {@code id} of {@code vm}, or -1. */
        int indexOf(int vm, int id) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == id && vms[i] == vm) {
                    return i;
                }
            }
            return -1;
        }

        private void add(ObjectKey key, ModelObject value, long contentHash) {
            int i = size++;
            vms[i] = key.vm();
            ids[i] = key.id();
            content[i] = contentHash;
            // The same references as ModelObject.references(), without building a list per object.
            if (value instanceof HwptPaging p) {
                firstRef[i] = p.ioas();
                secondRef[i] = p.fault();
                refs[i] = p.fault() == 0 ? 1 : 2;
            } else if (value instanceof HwptNested n) {
                firstRef[i] = n.holder(); // its vIOMMU if it was allocated on one (whose HWPT is its parent)
                secondRef[i] = n.fault();
                refs[i] = n.fault() == 0 ? 1 : 2;
            } else if (value instanceof ModelObject.Viommu v) {
                firstRef[i] = v.hwpt();
                refs[i] = 1;
            } else if (value instanceof ModelObject.Vdevice d) {
                firstRef[i] = d.viommu();
                refs[i] = 1;
            } else if (value instanceof FaultQueue q) {
                held += q.delivered().size() + q.awaiting().size();
            }
        }
    }

    /** A state's attachments as arrays: the device, PASID and table of each (never written once built). */
    static final class Attachments {
        final int[] devices;
        final int[] pasids;
        final int[] tables;
        int size;

        Attachments(int capacity) {
            devices = new int[capacity];
            pasids = new int[capacity];
            tables = new int[capacity];
        }

        private void add(int device, int pasid, int table) {
            devices[size] = device;
            pasids[size] = pasid;
            tables[size] = table;
            size++;
        }
    }

    static long of(ModelState s) {
        return of(s, anyPasidCapable(s), null);
    }

    /**
     * The fingerprint, and in {@code naming[0]} a hash of which canonical ID each object got: two
     * states with the same fingerprint and the same naming are the same state, not only renumberings
     * of each other ({@code IndependenceTests} checks with it that independent operations reach the
     * very same state in either order).
     */
    static long of(ModelState s, long[] naming) {
        return of(s, anyPasidCapable(s), naming);
    }

    /**
     * Whether {@code next}, a successor of {@code parent}, certainly has the parent's fingerprint,
     * found without computing it: every part the fingerprint encodes is the very same map, and the
     * two counts of history did not move. Typically a page request answered at once: only the
     * response log, the serials and the answered set grew, by one each.
     */
    static boolean unchangedFrom(ModelState parent, ModelState next) {
        if (next.objects() != parent.objects() || next.attachments() != parent.attachments()
                || next.sets() != parent.sets() || next.pasids() != parent.pasids() || next.mm() != parent.mm()
                || next.partial() != parent.partial() || next.prq() != parent.prq() || next.bounds() != parent.bounds()) {
            return false;
        }
        IdentityMemo memo = IdentityMemo.current();
        long parentAnswered = memo.part(parent.answered(), ANSWERED);
        long nextAnswered = memo.part(next.answered(), ANSWERED);
        return next.nextSerial() - nextAnswered == parent.nextSerial() - parentAnswered
                && memo.part(next.answers(), ANSWERS) - nextAnswered == memo.part(parent.answers(), ANSWERS) - parentAnswered;
    }

    private static final java.util.function.ToLongFunction<io.vavr.collection.Set<Long>> ANSWERED = io.vavr.collection.Set::size;
    private static final java.util.function.ToLongFunction<io.vavr.collection.Map<Integer, io.vavr.collection.List<ModelState.Answer>>>
            ANSWERS = ModelState::answerCount;

    /**
     * Keeps the ALLOC_PASID flag whatever the bounds: conformance checking compares an implementation,
     * which may well mishandle the flag where the model ignores it, so it keeps such states apart.
     */
    static long keepingEveryFlag(ModelState s) {
        return of(s, true, null);
    }

    private static long of(ModelState s, boolean pasids, long[] naming) {
        IdentityMemo memo = IdentityMemo.current();
        Objects objects = memo.derived(s.objects(), s, pasids ? OBJECTS_WITH_PASID_FLAG : OBJECTS_WITHOUT_PASID_FLAG);
        Attachments attachments = memo.derived(s.attachments(), s, ATTACHMENTS);
        int[] vmOf = memo.derived(s.bounds(), s.bounds(), VM_OF_DEVICE);
        int[] ids = Symmetry.canonicalIds(objects, attachments, vmOf);
        if (naming != null) {
            Entry named = new Entry(11);
            for (int i = 0; i < objects.size; i++) {
                named.add(objects.vms[i]).add(objects.ids[i]).add(ids[i]);
            }
            naming[0] = named.done();
        }
        long h = 0;
        h += memo.part(s.sets(), Fingerprint::sets);
        h += memo.part(s.pasids(), Fingerprint::pasids) * 3;
        h += idEncoding(objects, attachments, ids, vmOf);
        h += memo.part(s.mm(), Fingerprint::mm) * 11;
        h += memo.part(s.partial(), Fingerprint::partial) * 13;
        if (!s.prq().isEmpty()) {
            h += memo.part(s.prq(), Fingerprint::prq) * 19;
        }
        h += history(s, objects.held + s.prq().size(), memo) * 17;
        return finish(h);
    }

    /** The part of the fingerprint object IDs appear in: the objects and the attachments, under {@code ids}. */
    static long idEncoding(Objects objects, Attachments attachments, int[] ids, int[] vmOf) {
        return objectEntries(objects, ids) * 5 + attachments(objects, attachments, ids, vmOf) * 7;
    }

    // Each is a pure function of the map (or bounds) it is memoised under; the state only carries the bounds along.
    private static final Function<ModelState, Objects> OBJECTS_WITH_PASID_FLAG = s -> objects(s, true);
    private static final Function<ModelState, Objects> OBJECTS_WITHOUT_PASID_FLAG = s -> objects(s, false);
    private static final Function<ModelState, Attachments> ATTACHMENTS = Fingerprint::attachments;
    private static final Function<dev.ioasid.contract.Bounds, int[]> VM_OF_DEVICE = Fingerprint::vmOfDevice;

    /** The VM of each device of the bounds, by device ID. */
    private static int[] vmOfDevice(dev.ioasid.contract.Bounds bounds) {
        int max = 0;
        for (var device : bounds.devices()) {
            max = Math.max(max, device.id());
        }
        int[] vms = new int[max + 1];
        for (var device : bounds.devices()) {
            vms[device.id()] = device.vm();
        }
        return vms;
    }

    /**
     * Object IDs are 1..maxObjects (OBJ-2), so looking each up finds every object, much more cheaply
     * than a persistent hash map's iterator for the handful there are; the count is checked against
     * the map's size all the same, and the map iterated if they differ.
     */
    private static Objects objects(ModelState s, boolean pasids) {
        IdentityMemo memo = IdentityMemo.current();
        var map = s.objects();
        int size = map.size();
        java.util.function.ToLongFunction<ModelObject> content = pasids ? WITH_PASID_FLAG : WITHOUT_PASID_FLAG;
        Objects objects = new Objects(size);
        for (int vm = 1; vm <= s.bounds().vms() && objects.size < size; vm++) {
            for (int id = 1; id <= s.bounds().maxObjects() && objects.size < size; id++) {
                ObjectKey key = new ObjectKey(vm, id);
                ModelObject value = map.getOrElse(key, null);
                if (value != null) {
                    objects.add(key, value, memo.part(value, content));
                }
            }
        }
        if (objects.size == size) {
            return objects;
        }
        Objects all = new Objects(size);
        for (var e : map) {
            all.add(e._1, e._2, memo.part(e._2, content));
        }
        return all;
    }

    /** As {@link #objects}: an attach point is a device of the bounds and a PASID 0..pasidMax. */
    private static Attachments attachments(ModelState s) {
        var map = s.attachments();
        int size = map.size();
        Attachments a = new Attachments(size);
        for (var device : s.bounds().devices()) {
            for (int pasid = 0; pasid <= s.bounds().pasidMax() && a.size < size; pasid++) {
                Integer table = map.getOrElse(new ModelState.AttachPoint(device.id(), pasid), null);
                if (table != null) {
                    a.add(device.id(), pasid, table);
                }
            }
        }
        if (a.size == size) {
            return a;
        }
        Attachments all = new Attachments(size);
        for (var e : map) {
            all.add(e._1.device(), e._1.pasid(), e._2);
        }
        return all;
    }

    private static final java.util.function.ToLongFunction<ModelObject> WITH_PASID_FLAG = o -> content(o, true);
    private static final java.util.function.ToLongFunction<ModelObject> WITHOUT_PASID_FLAG = o -> content(o, false);

    private static boolean anyPasidCapable(ModelState s) {
        for (var device : s.bounds().devices()) {
            if (device.pasidCapable()) {
                return true;
            }
        }
        return false;
    }

    /** The encoded ID of object {@code id} of {@code vm}; 0 (none) stays 0, a dangling one stays apart. */
    private static int id(Objects objects, int[] ids, int vm, int id) {
        if (id == 0) {
            return 0;
        }
        int i = objects.indexOf(vm, id);
        return i < 0 ? -id : ids[i];
    }

    /** A sequential hasher for one entry. */
    static final class Entry {
        private long h;

        Entry(long tag) {
            h = tag * 0x9E3779B97F4A7C15L;
        }

        Entry add(long v) {
            h = (h ^ v) * 0x100000001b3L + 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
            return this;
        }

        long done() {
            return finish(h);
        }
    }

    static long finish(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static long sets(io.vavr.collection.Map<Integer, ModelState.IoasidSet> sets) {
        long sum = 0;
        for (var e : sets) {
            sum += new Entry(1).add(e._1).add(e._2.quota()).add(e._2.used()).done();
        }
        return sum;
    }

    private static long pasids(io.vavr.collection.Map<Integer, ModelState.PasidEntry> pasids) {
        long sum = 0;
        for (var e : pasids) {
            sum += new Entry(2).add(e._1).add(e._2.vm()).add(e._2.state().ordinal()).add(e._2.refs()).done();
        }
        return sum;
    }

    private static long objectEntries(Objects objects, int[] ids) {
        long sum = 0;
        for (int i = 0; i < objects.size; i++) {
            int vm = objects.vms[i];
            Entry entry = new Entry(3).add(vm).add(ids[i]).add(objects.content[i]);
            if (objects.refs[i] > 0) {
                entry.add(id(objects, ids, vm, objects.firstRef[i]));
            }
            if (objects.refs[i] > 1) {
                entry.add(id(objects, ids, vm, objects.secondRef[i]));
            }
            sum += entry.done();
        }
        return sum;
    }

    /**
     * What an object is, without its ID or the IDs it refers to: kind, users, flags, whether it has
     * a fault queue, and its contents (areas, page-table entries, stage-1 entries, queued groups).
     */
    static long content(ModelObject o, boolean pasidFlag) {
        Entry f = new Entry(10).add(o.kind().ordinal()).add(o.users());
        if (o instanceof Ioas ioas) {
            // Entries in key order; the map's own iterator, as values() builds a lazy stream.
            for (var e : ioas.areas()) {
                Area a = e._2;
                f.add(a.iova()).add(a.pages()).add(a.host()).add(a.access().ordinal());
                if (!ioas.writableBehind().isEmpty() && ioas.writableBehind().contains(a.iova())) {
                    f.add(0xC0); // a read-only copy of writable pages (empty unless areas were copied)
                }
            }
            if (!ioas.allowed().any()) { // an allowed IOVA range (iommufd only)
                f.add(0xA1).add(ioas.allowed().iova()).add(ioas.allowed().pages());
            }
        } else if (o instanceof HwptPaging p) {
            f.add(p.nestParent() ? 1 : 0).add(pasidFlag && p.allocPasid() ? 1 : 0).add(p.fault() != 0 ? 1 : 0).add(p.auto() ? 1 : 0);
            for (var e : p.pages()) {
                PageMapping m = e._2;
                f.add(m.iova()).add(m.host()).add(m.access().ordinal());
            }
            if (p.dirty().trackable()) { // iommufd's dirty tracking; never so under ioasid-2021
                f.add(0xD1).add(p.dirty().tracking() ? 1 : 0);
                for (int page : p.dirty().pages().toList().sorted()) {
                    f.add(page);
                }
            }
        } else if (o instanceof HwptNested n) {
            f.add(pasidFlag && n.allocPasid() ? 1 : 0).add(n.fault() != 0 ? 1 : 0).add(n.viommu() != 0 ? 1 : 0);
            long entries = 0;
            for (var e : n.stage1()) {
                entries += new Entry(4).add(e._1).add(e._2.gpa()).add(e._2.access().ordinal()).done();
            }
            for (var e : n.stale()) {
                for (Stage1Entry old : e._2) {
                    entries += new Entry(5).add(e._1).add(old.gpa()).add(old.access().ordinal()).done();
                }
            }
            f.add(entries);
        } else if (o instanceof FaultQueue q) {
            for (OpenGroup g : q.delivered()) {
                group(f, g);
            }
            f.add(0xB2);
            // Awaiting groups in cookie order: which numbers the cookies are does not matter.
            if (q.awaiting().size() == 1) {
                group(f, q.awaiting().head()._2);
            } else if (!q.awaiting().isEmpty()) {
                for (var e : q.awaiting().toList().sortBy(t -> t._1)) {
                    group(f, e._2);
                }
            }
        } else if (o instanceof Sva sva) {
            f.add(sva.mm());
        } else if (o instanceof ModelObject.Vdevice d) {
            f.add(d.device()).add(d.virtId()); // the guest's virtual ID is its choice, not renamed
        }
        return f.done();
    }

    private static void group(Entry f, OpenGroup g) {
        f.add(g.device()).add(g.pasid()).add(g.group()).add(g.level().ordinal()).add(g.requests().size()).add(g.via());
        for (RequestedPage r : g.requests()) {
            f.add(r.iova()).add(r.access().ordinal());
        }
    }

    private static long attachments(Objects objects, Attachments attachments, int[] ids, int[] vmOf) {
        long sum = 0;
        for (int i = 0; i < attachments.size; i++) {
            int device = attachments.devices[i];
            sum += new Entry(6).add(device).add(attachments.pasids[i])
                    .add(id(objects, ids, vmOf[device], attachments.tables[i])).done();
        }
        return sum;
    }

    private static long mm(io.vavr.collection.Map<ModelState.MmPage, ModelState.MmMapping> mm) {
        long sum = 0;
        for (var e : mm) {
            sum += new Entry(7).add(e._1.mm()).add(e._1.page()).add(e._2.host()).add(e._2.access().ordinal()).done();
        }
        return sum;
    }

    private static long partial(io.vavr.collection.Map<ModelState.GroupKey, io.vavr.collection.List<RequestedPage>> partial) {
        long sum = 0;
        for (var e : partial) {
            Entry entry = new Entry(8).add(e._1.device()).add(e._1.pasid()).add(e._1.group()).add(e._2.size());
            for (RequestedPage r : e._2) {
                entry.add(r.iova()).add(r.access().ordinal());
            }
            sum += entry.done();
        }
        return sum;
    }

    /**
     * The page request queue (interleaved delivery), in order: each group's point, index, requests
     * and whether it is orphaned; its serial is history (counted in the held groups instead).
     */
    private static long prq(io.vavr.collection.List<ModelState.QueuedGroup> prq) {
        long h = 0;
        for (ModelState.QueuedGroup g : prq) {
            Entry entry = new Entry(12).add(g.device()).add(g.pasid()).add(g.group()).add(g.orphaned() ? 1 : 0)
                    .add(g.requests().size());
            for (RequestedPage r : g.requests()) {
                entry.add(r.iova()).add(r.access().ordinal());
            }
            h = h * 31 + entry.done();
        }
        return finish(h);
    }

    /** The two counts of history the invariants need: lost groups and extra answers (see the class notes). */
    private static long history(ModelState s, long held, IdentityMemo memo) {
        long answered = memo.part(s.answered(), ANSWERED);
        long lost = s.nextSerial() - 1 - held - answered;
        long answers = memo.part(s.answers(), ANSWERS);
        return new Entry(9).add(lost).add(answers - answered).done();
    }
}
