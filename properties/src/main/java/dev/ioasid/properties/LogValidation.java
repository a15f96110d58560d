package dev.ioasid.properties;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Design;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import dev.ioasid.model.Transition;
import dev.ioasid.model.invariants.Invariants;
import dev.ioasid.reports.RecordedLog;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a recorded log against the model: every step's observed result must be one the model
 * allows in the state the log has reached, following the log's own choices (IDs, cookies, stale
 * stage-1 translations). It reports every divergence, not only the first. After one it goes on
 * from the state the observed result implies where the model can tell what that is (an error
 * changes nothing; a query or a DMA changes nothing whatever it returns),
 * and otherwise from the model's own expected step, saying so. Linear in the log's length.
 */
public final class LogValidation {

    private LogValidation() {
    }

    /** How the model went on after a divergence. */
    public enum Follow {
        /** The system returned an errno the model did not expect: errors change nothing. */
        ERROR_CHANGES_NOTHING("followed: an error changes nothing"),
        /** The call changes nothing whatever it returns: a query, or a DMA. */
        CALL_CHANGES_NOTHING("followed: the call changes nothing"),
        /** The model cannot know the system's state: it continues from its own expected step. */
        NOT_FOLLOWED("not followed: continuing as the model expected");

        private final String words;

        Follow(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /**
     * One step where the log and the model disagree.
     *
     * @param index    the step's index in the log (0 for the first step after the header)
     * @param expected what the model allowed, in words
     * @param rules    the rules that decided what the model allowed
     * @param after    how many earlier divergences were not followed (later ones may be their echo)
     */
    public record Divergence(RecordedLog.Entry entry, int index, String expected, io.vavr.collection.List<Rule> rules,
                             Follow follow, int after) {
        public Operation op() {
            return entry.op();
        }

        public Result observed() {
            return entry.observed();
        }
    }

    /** A broken invariant in a state the log reached (a defect of the model if it ever happens). */
    public record BrokenInvariant(int index, String invariant, String detail) {
    }

    /**
     * What validating a log found.
     *
     * @param rulesDeciding every rule that decided an agreeing step (coverage of the log)
     */
    public record Outcome(RecordedLog log, Bounds bounds, Design design, int steps, List<Divergence> divergences,
                          List<BrokenInvariant> brokenInvariants, Set<Rule> rulesDeciding) {
        public boolean agrees() {
            return divergences.isEmpty() && brokenInvariants.isEmpty();
        }
    }

    /** Validates the log under its own bounds (and profile). */
    public static Outcome run(RecordedLog log) {
        return run(log, log.bounds());
    }

    /** Validates the log under these bounds (the log's, perhaps with another profile). */
    public static Outcome run(RecordedLog log, Bounds bounds) {
        return run(log, bounds, Design.PAGE_TABLE_OWNER);
    }

    /**
     * Validates the log under a fault-routing design: the contract's, or another when the system is
     * known to route otherwise (hardware that cannot tell stage 1 from stage 2 routes by attachment).
     * Invariants are checked under the contract's design only: a variant breaks them by design.
     */
    public static Outcome run(RecordedLog log, Bounds bounds, Design design) {
        ModelState state = Model.initial(bounds, design);
        boolean checkInvariants = design == Design.PAGE_TABLE_OWNER;
        List<Divergence> divergences = new ArrayList<>();
        List<BrokenInvariant> broken = new ArrayList<>();
        Set<Rule> deciding = EnumSet.noneOf(Rule.class);
        int unfollowed = 0;
        for (int i = 0; i < log.steps().size(); i++) {
            RecordedLog.Entry entry = log.steps().get(i);
            Transition allowed = Model.step(state, entry.op());
            var accepted = allowed.accept(entry.observed());
            ModelState next;
            if (accepted.isDefined()) {
                next = accepted.get().next();
                deciding.addAll(accepted.get().rules().toJavaList());
            } else {
                Follow follow = follow(entry.op(), entry.observed());
                divergences.add(new Divergence(entry, i, allowed.expected(), allowed.rules(), follow, unfollowed));
                if (follow == Follow.NOT_FOLLOWED) {
                    unfollowed++;
                    next = allowed.canonical().next();
                } else {
                    next = state;
                }
            }
            if (checkInvariants && next != state) {
                var violation = Invariants.firstViolation(next, state);
                if (violation.isDefined()) {
                    broken.add(new BrokenInvariant(i, violation.get()._1.name(), violation.get()._2));
                }
            }
            state = next;
        }
        return new Outcome(log, bounds, design, log.steps().size(), divergences, broken, deciding);
    }

    private static Follow follow(Operation op, Result observed) {
        if (observed instanceof Result.Failed) {
            return Follow.ERROR_CHANGES_NOTHING;
        }
        return Model.neverChangesState(op) ? Follow.CALL_CHANGES_NOTHING : Follow.NOT_FOLLOWED;
    }
}
