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
 * the bounds, given that a group holds at most {@link Actions#MAX_REQUESTS_PER_GROUP} requests.
 */
final class Fingerprint {
    /** Object IDs as encoded: a VM's objects renumbered 1..n in a canonical order (symmetry reduction). */
    private final java.util.Map<ModelState.ObjectKey, Integer> ids;

    private Fingerprint(java.util.Map<ModelState.ObjectKey, Integer> ids) {
        this.ids = ids;
    }

    static long of(ModelState s) {
        Fingerprint f = new Fingerprint(Symmetry.canonicalIds(s));
        long h = 0;
        h += f.sets(s);
        h += f.pasids(s) * 3;
        h += f.objects(s) * 5;
        h += f.attachments(s) * 7;
        h += f.mm(s) * 11;
        h += f.partial(s) * 13;
        h += f.history(s) * 17;
        return finish(h);
    }

    /** The encoded ID of object {@code id} of {@code vm}; 0 (none) stays 0. */
    private int id(int vm, int id) {
        return id == 0 ? 0 : ids.getOrDefault(new ModelState.ObjectKey(vm, id), -id);
    }

    /** A sequential hasher for one entry. */
    private static final class Entry {
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

    private static long finish(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private long sets(ModelState s) {
        long sum = 0;
        for (var e : s.sets()) {
            sum += new Entry(1).add(e._1).add(e._2.quota()).add(e._2.used()).done();
        }
        return sum;
    }

    private long pasids(ModelState s) {
        long sum = 0;
        for (var e : s.pasids()) {
            sum += new Entry(2).add(e._1).add(e._2.vm()).add(e._2.state().ordinal()).add(e._2.refs()).done();
        }
        return sum;
    }

    private long objects(ModelState s) {
        long sum = 0;
        for (var e : s.objects()) {
            int vm = e._1.vm();
            Entry entry = new Entry(3).add(vm).add(id(vm, e._1.id())).add(e._2.users()).add(e._2.kind().ordinal());
            object(entry, vm, e._2);
            sum += entry.done();
        }
        return sum;
    }

    private void object(Entry f, int vm, ModelObject o) {
        if (o instanceof Ioas ioas) {
            for (Area a : ioas.areas().values()) {
                f.add(a.iova()).add(a.pages()).add(a.host()).add(a.access().ordinal());
            }
        } else if (o instanceof HwptPaging p) {
            f.add(id(vm, p.ioas())).add(p.nestParent() ? 1 : 0).add(p.allocPasid() ? 1 : 0).add(id(vm, p.fault()));
            for (PageMapping m : p.pages().values()) {
                f.add(m.iova()).add(m.host()).add(m.access().ordinal());
            }
        } else if (o instanceof HwptNested n) {
            f.add(id(vm, n.parent())).add(n.allocPasid() ? 1 : 0).add(id(vm, n.fault()));
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
            for (var e : q.awaiting().toList().sortBy(t -> t._1)) {
                group(f, e._2);
            }
        } else if (o instanceof Sva sva) {
            f.add(sva.mm());
        }
    }

    private static void group(Entry f, OpenGroup g) {
        f.add(g.device()).add(g.pasid()).add(g.group()).add(g.level().ordinal()).add(g.requests().size());
        for (RequestedPage r : g.requests()) {
            f.add(r.iova()).add(r.access().ordinal());
        }
    }

    private long attachments(ModelState s) {
        long sum = 0;
        for (var e : s.attachments()) {
            sum += new Entry(6).add(e._1.device()).add(e._1.pasid()).add(id(s.vmOf(e._1.device()), e._2)).done();
        }
        return sum;
    }

    private long mm(ModelState s) {
        long sum = 0;
        for (var e : s.mm()) {
            sum += new Entry(7).add(e._1.mm()).add(e._1.page()).add(e._2.host()).add(e._2.access().ordinal()).done();
        }
        return sum;
    }

    private long partial(ModelState s) {
        long sum = 0;
        for (var e : s.partial()) {
            Entry entry = new Entry(8).add(e._1.device()).add(e._1.pasid()).add(e._1.group()).add(e._2.size());
            for (RequestedPage r : e._2) {
                entry.add(r.iova()).add(r.access().ordinal());
            }
            sum += entry.done();
        }
        return sum;
    }

    /** The two counts of history the invariants need: lost groups and extra answers (see the class notes). */
    private long history(ModelState s) {
        long held = 0;
        for (ModelObject o : s.objects().values()) {
            if (o instanceof FaultQueue q) {
                held += q.outstanding().size();
            }
        }
        long lost = s.nextSerial() - 1 - held - s.answered().size();
        return new Entry(9).add(lost).add(s.answerCount() - s.answered().size()).done();
    }

}
