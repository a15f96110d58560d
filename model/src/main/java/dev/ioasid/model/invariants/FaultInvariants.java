package dev.ioasid.model.invariants;

import static dev.ioasid.model.invariants.Invariant.of;

import dev.ioasid.contract.FaultLevel;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.OpenGroup;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.ObjectKey;
import dev.ioasid.model.Rule;
import io.vavr.Tuple2;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/** Invariants of layer C: every fault has exactly one handler, the one for the level that faulted. */
final class FaultInvariants {

    static final Invariant OWNER = of("every pending group's owner is the handler for its level",
            EnumSet.of(Part.OBJECTS, Part.ATTACHMENTS),
            FaultInvariants::owner, Rule.PRQ_4, Rule.PRQ_5, Rule.FLT_5, Rule.FLT_6);

    static final Invariant EXACTLY_ONCE = of("every group has exactly one owner and is answered at most once",
            EnumSet.of(Part.OBJECTS, Part.HISTORY, Part.PRQ),
            FaultInvariants::exactlyOnce, Rule.PRQ_2, Rule.FLT_4, Rule.FLT_5);

    static final Invariant NONE_LOST = of("every completed group is held by its owner or answered",
            EnumSet.of(Part.OBJECTS, Part.HISTORY, Part.PRQ),
            FaultInvariants::noneLost, Rule.PRQ_2, Rule.PRQ_4, Rule.FLT_4);

    static final Invariant QUEUED_OWNER = of("no group waits in the page request queue past a detach or replace of its point",
            EnumSet.of(Part.PRQ), FaultInvariants::queuedOwner, Rule.PRQ_9, Rule.FLT_8);

    static final Invariant COOKIES = of("cookies are unique and single-use",
            EnumSet.of(Part.OBJECTS), FaultInvariants::cookies,
            Rule.FLT_1, Rule.FLT_3);

    static final Invariant HELD_REQUESTS = of("held requests belong to no outstanding group",
            EnumSet.of(Part.PARTIAL, Part.OBJECTS, Part.PRQ), FaultInvariants::held,
            Rule.PRQ_1, Rule.PRQ_7);

    static final List<Invariant> ALL = List.of(OWNER, EXACTLY_ONCE, NONE_LOST, COOKIES, HELD_REQUESTS, QUEUED_OWNER);

    private FaultInvariants() {
    }

    /**
     * A group in a fault queue of VM v: its device is v's, it faulted at stage 1 or on a paging
     * table (never stage 2, which is the kernel's), and its attach point is still attached to a
     * table of that level whose fault queue is this one.
     */
    private static Option<String> owner(ModelState s) {
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            if (!(entry._2 instanceof FaultQueue queue)) {
                continue;
            }
            for (OpenGroup g : queue.outstanding()) {
                if (s.vmOf(g.device()) != entry._1.vm()) {
                    return Option.some(who(g, entry._1) + " comes from another VM's device");
                }
                if (g.level() != FaultLevel.STAGE1 && g.level() != FaultLevel.PAGING) {
                    return Option.some(who(g, entry._1) + " faulted at " + g.level() + ", which user space must never handle");
                }
                ModelObject table = s.attached(g.device(), g.via()).flatMap(t -> s.object(entry._1.vm(), t)).getOrNull();
                boolean handler = (g.level() == FaultLevel.STAGE1 && table instanceof HwptNested n
                        && n.fault() == entry._1.id())
                        || (g.level() == FaultLevel.PAGING && table instanceof HwptPaging p && p.fault() == entry._1.id());
                if (!handler) {
                    return Option.some(who(g, entry._1) + " is held by a queue that is not the handler of what is attached there");
                }
            }
        }
        return Option.none();
    }

    /** Names a group in a queue, for a violation only: every new state is checked, so it is not built otherwise. */
    private static String who(OpenGroup g, ObjectKey queue) {
        return "group " + g.group() + " of (dev=" + g.device() + ", pasid=" + g.pasid() + ") in queue " + queue.id()
                + " of VM " + queue.vm();
    }

    /**
     * Interleaved delivery: a queued group whose point was detached or replaced while it waited
     * would be routed to whatever the point has next (the PASID's next owner), or to nobody.
     */
    private static Option<String> queuedOwner(ModelState s) {
        for (ModelState.QueuedGroup g : s.prq()) {
            if (g.orphaned()) {
                return Option.some("group " + g.group() + " of (dev=" + g.device() + ", pasid=" + g.pasid() + ") is still in the "
                        + "page request queue after its point was detached or replaced: it will reach the point's next owner, or nobody");
            }
        }
        return Option.none();
    }

    private static Option<String> exactlyOnce(ModelState s) {
        Set<Long> held = new HashSet<>();
        for (ModelState.QueuedGroup g : s.prq()) {
            if (!held.add(g.serial()) || s.answered().contains(g.serial())) {
                return Option.some("group #" + g.serial() + " is queued twice, or queued and answered already");
            }
        }
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            if (entry._2 instanceof FaultQueue queue) {
                for (OpenGroup g : queue.outstanding()) {
                    if (!held.add(g.serial())) {
                        return Option.some("group #" + g.serial() + " is held twice");
                    }
                    if (s.answered().contains(g.serial())) {
                        return Option.some("group #" + g.serial() + " is held and was answered already");
                    }
                }
            }
        }
        long extra = s.answerCount() - s.answered().size();
        return extra == 0 ? Option.none()
                : Option.some(extra + " responses answered a group that had been answered already");
    }

    /** Serials count completed groups: each must be held somewhere or have been answered. */
    private static Option<String> noneLost(ModelState s) {
        long held = s.prq().size();
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            if (entry._2 instanceof FaultQueue q) {
                held += q.delivered().size() + q.awaiting().size();
            }
        }
        long completed = s.nextSerial() - 1;
        long accounted = held + s.answered().size();
        return accounted == completed ? Option.none()
                : Option.some(completed + " groups completed but only " + accounted + " are held or answered: "
                        + (completed - accounted) + " lost, the device waits forever");
    }

    private static Option<String> cookies(ModelState s) {
        for (Tuple2<ObjectKey, ModelObject> entry : s.objects()) {
            if (entry._2 instanceof FaultQueue queue) {
                Option<Integer> bad = queue.awaiting().keySet().find(c -> c < 1 || !queue.usedCookies().contains(c));
                if (bad.isDefined()) {
                    return Option.some("queue " + entry._1.id() + " of VM " + entry._1.vm() + " awaits cookie " + bad.get()
                            + ", which it never handed out");
                }
            }
        }
        return Option.none();
    }

    private static Option<String> held(ModelState s) {
        if (s.partial().isEmpty()) {
            return Option.none();
        }
        Set<ModelState.GroupKey> outstanding = new HashSet<>();
        s.prq().forEach(g -> outstanding.add(new ModelState.GroupKey(g.device(), g.pasid(), g.group())));
        for (ModelObject o : s.objects().values()) {
            if (o instanceof FaultQueue q) {
                q.outstanding().forEach(g -> outstanding.add(new ModelState.GroupKey(g.device(), g.pasid(), g.group())));
            }
        }
        for (var key : s.partial().keySet()) {
            if (outstanding.contains(key)) {
                return Option.some("requests are held for group " + key.group() + " of (dev=" + key.device() + ", pasid="
                        + key.pasid() + "), which is still outstanding");
            }
        }
        return Option.none();
    }
}
