package dev.ioasid.model.invariants;

import static dev.ioasid.model.invariants.Invariant.of;

import dev.ioasid.contract.PasidState;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.IoasidSet;
import dev.ioasid.model.ModelState.PasidEntry;
import dev.ioasid.model.Rule;
import io.vavr.Tuple2;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.EnumSet;

/** Invariants of layer A: quota and capacity accounting, uniqueness, the PASID lifecycle. */
final class SetInvariants {

    static final Invariant CAPACITY = of("quotas fit the capacity",
            EnumSet.of(Part.SETS), s -> s.reserved() <= s.bounds().capacity()
            ? Option.none()
            : Option.some("quotas reserve " + s.reserved() + " of capacity " + s.bounds().capacity()),
            Rule.SET_1, Rule.SET_3, Rule.SET_4, Rule.SET_6);

    static final Invariant USAGE = of("set usage counts its PASIDs and fits its quota",
            EnumSet.of(Part.SETS, Part.PASIDS), SetInvariants::usage,
            Rule.SET_8, Rule.PASID_2, Rule.PASID_5);

    static final Invariant HELD_BY_A_SET = of("every PASID is in range and held by an existing set",
            EnumSet.of(Part.PASIDS, Part.SETS),
            SetInvariants::heldByASet, Rule.PASID_4, Rule.SET_5);

    static final Invariant NO_ORPHAN_PENDING = of("no free-pending PASID without references", EnumSet.of(Part.PASIDS),
            s -> s.pasids().find(e -> e._2.state() == PasidState.FREE_PENDING && e._2.refs() == 0)
                    .map(e -> "PASID " + e._1 + " is free-pending with no reference left, yet not released"),
            Rule.PASID_6);

    static final List<Invariant> ALL = List.of(CAPACITY, USAGE, HELD_BY_A_SET, NO_ORPHAN_PENDING);

    private SetInvariants() {
    }

    private static Option<String> usage(ModelState s) {
        if (s.sets().isEmpty()) {
            return Option.none();
        }
        java.util.Map<Integer, Integer> held = new java.util.HashMap<>();
        for (PasidEntry pasid : s.pasids().values()) {
            held.merge(pasid.vm(), 1, Integer::sum);
        }
        for (Tuple2<Integer, IoasidSet> set : s.sets()) {
            int count = held.getOrDefault(set._1, 0);
            if (set._2.used() != count) {
                return Option.some("set of VM " + set._1 + " counts " + set._2.used() + " PASIDs but holds " + count);
            }
            if (count > set._2.quota()) {
                return Option.some("set of VM " + set._1 + " holds " + count + " PASIDs over quota " + set._2.quota());
            }
        }
        return Option.none();
    }

    private static Option<String> heldByASet(ModelState s) {
        for (Tuple2<Integer, PasidEntry> pasid : s.pasids()) {
            if (pasid._1 < 1 || pasid._1 > s.bounds().pasidMax()) {
                return Option.some("PASID " + pasid._1 + " is outside 1.." + s.bounds().pasidMax());
            }
            if (!s.sets().containsKey(pasid._2.vm())) {
                return Option.some("PASID " + pasid._1 + " belongs to VM " + pasid._2.vm() + ", which has no set");
            }
        }
        return Option.none();
    }
}
