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
import io.vavr.Tuple2;
import io.vavr.collection.List;
import io.vavr.collection.Map;

/**
 * A 64-bit fingerprint of a canonical encoding of a model state: every part in a fixed order
 * (maps by sorted key), with what only grows with history left out.
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
    private long h = 0x6a09e667f3bcc908L;
    /** Object IDs as encoded: a VM's objects renumbered 1..n in a canonical order (symmetry reduction). */
    private final java.util.Map<ModelState.ObjectKey, Integer> ids;

    private Fingerprint(java.util.Map<ModelState.ObjectKey, Integer> ids) {
        this.ids = ids;
    }

    static long of(ModelState s) {
        Fingerprint f = new Fingerprint(Symmetry.canonicalIds(s));
        f.sets(s).pasids(s).objects(s).attachments(s).mm(s).partial(s).history(s);
        return f.finish();
    }

    /** The encoded ID of object {@code id} of {@code vm}; 0 (none) stays 0. */
    private int id(int vm, int id) {
        return id == 0 ? 0 : ids.getOrDefault(new ModelState.ObjectKey(vm, id), -id);
    }

    /** The two counts of history the invariants need: lost groups and extra answers (see the class notes). */
    private Fingerprint history(ModelState s) {
        java.util.Set<Long> answered = new java.util.HashSet<>();
        long answers = 0;
        for (var device : s.answers().values()) {
            for (ModelState.Answer a : device) {
                answered.add(a.serial());
                answers++;
            }
        }
        long held = 0;
        for (ModelObject o : s.objects().values()) {
            if (o instanceof FaultQueue q) {
                held += q.outstanding().size();
            }
        }
        long lost = s.nextSerial() - 1 - held - answered.size();
        return add(0xA7).add(lost).add(answers - answered.size());
    }

    private Fingerprint add(long v) {
        h = (h ^ v) * 0x100000001b3L + 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return this;
    }

    private long finish() {
        long z = h;
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static <K extends Comparable<? super K>, V> List<Tuple2<K, V>> sorted(Map<K, V> map) {
        return map.toList().sortBy(t -> t._1);
    }

    private Fingerprint sets(ModelState s) {
        add(0xA1);
        for (var e : s.sets().toList().sortBy(t -> t._1)) {
            add(e._1).add(e._2.quota()).add(e._2.used());
        }
        return this;
    }

    private Fingerprint pasids(ModelState s) {
        add(0xA2);
        for (var e : sorted(s.pasids())) {
            add(e._1).add(e._2.vm()).add(e._2.state().ordinal()).add(e._2.refs());
        }
        return this;
    }

    private Fingerprint objects(ModelState s) {
        add(0xA3);
        for (var e : s.objects().toList().sortBy(t -> t._1.vm() * 1024 + id(t._1.vm(), t._1.id()))) {
            add(e._1.vm()).add(id(e._1.vm(), e._1.id())).add(e._2.users()).add(e._2.kind().ordinal());
            object(e._1.vm(), e._2);
        }
        return this;
    }

    private void object(int vm, ModelObject o) {
        if (o instanceof Ioas ioas) {
            for (Area a : ioas.areas().values()) {
                add(a.iova()).add(a.pages()).add(a.host()).add(a.access().ordinal());
            }
        } else if (o instanceof HwptPaging p) {
            add(id(vm, p.ioas())).add(p.nestParent() ? 1 : 0).add(p.allocPasid() ? 1 : 0).add(id(vm, p.fault()));
            for (PageMapping m : p.pages().values()) {
                add(m.iova()).add(m.host()).add(m.access().ordinal());
            }
        } else if (o instanceof HwptNested n) {
            add(id(vm, n.parent())).add(n.allocPasid() ? 1 : 0).add(id(vm, n.fault()));
            for (var e : sorted(n.stage1())) {
                add(e._1).add(e._2.gpa()).add(e._2.access().ordinal());
            }
            add(0xB1);
            for (var e : sorted(n.stale())) {
                add(e._1);
                for (Stage1Entry old : e._2.toList().sortBy(x -> x.gpa() * 8 + x.access().ordinal())) {
                    add(old.gpa()).add(old.access().ordinal());
                }
            }
        } else if (o instanceof FaultQueue q) {
            for (OpenGroup g : q.delivered()) {
                group(g);
            }
            add(0xB2);
            // Awaiting groups by cookie rank: which numbers the cookies are does not matter.
            for (var e : sorted(q.awaiting())) {
                group(e._2);
            }
        } else if (o instanceof Sva sva) {
            add(sva.mm());
        }
    }

    private void group(OpenGroup g) {
        add(g.device()).add(g.pasid()).add(g.group()).add(g.level().ordinal()).add(g.requests().size());
        for (RequestedPage r : g.requests()) {
            add(r.iova()).add(r.access().ordinal());
        }
    }

    private Fingerprint attachments(ModelState s) {
        add(0xA4);
        for (var e : s.attachments().toList().sortBy(t -> t._1.device() * 1024 + t._1.pasid())) {
            add(e._1.device()).add(e._1.pasid()).add(id(s.vmOf(e._1.device()), e._2));
        }
        return this;
    }

    private Fingerprint mm(ModelState s) {
        add(0xA5);
        for (var e : s.mm().toList().sortBy(t -> t._1.mm() * 1024 + t._1.page())) {
            add(e._1.mm()).add(e._1.page()).add(e._2.host()).add(e._2.access().ordinal());
        }
        return this;
    }

    private Fingerprint partial(ModelState s) {
        add(0xA6);
        for (var e : s.partial().toList().sortBy(t -> (t._1.device() * 1024 + t._1.pasid()) * 1024 + t._1.group())) {
            add(e._1.device()).add(e._1.pasid()).add(e._1.group()).add(e._2.size());
            for (RequestedPage r : e._2) {
                add(r.iova()).add(r.access().ordinal());
            }
        }
        return this;
    }
}
