package dev.ioasid.properties;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Rule;
import dev.ioasid.model.invariants.Invariant;
import io.vavr.collection.List;

/** What went wrong at one step of a lock-step run. */
public sealed interface Failure {

    /** Index (0-based) of the step that failed. */
    int step();

    /** A headline naming the broken rule, for reports. */
    String headline();

    /** The rule IDs the failure is about. */
    List<Rule> rules();

    /** The implementation returned a result the model does not allow. */
    record Mismatch(int step, Operation op, Result observed, String expected, List<Rule> rules) implements Failure {
        @Override public String headline() {
            return op + " returned " + observed + ", expected " + expected + " by "
                    + rules.map(r -> r.id() + " (" + r.summary() + ")").mkString(", ");
        }
    }

    /** A model state reached by the run breaks an invariant (a defect of the model or its design). */
    record InvariantBroken(int step, Invariant invariant, String violation) implements Failure {
        @Override public List<Rule> rules() { return invariant.rules(); }

        @Override public String headline() {
            return "invariant \"" + invariant.name() + "\" " + invariant.rules().mkString("(", ", ", ")")
                    + " is violated: " + violation;
        }
    }

    /** The implementation threw instead of returning a result. */
    record Crashed(int step, Operation op, String exception) implements Failure {
        @Override public List<Rule> rules() { return List.empty(); }

        @Override public String headline() { return op + " crashed the implementation: " + exception; }
    }

    /**
     * The implementation stopped keeping the protocol (an external process crashed, hung, printed
     * garbage or answered out of order): not shrunk, reported with the steps up to this one.
     */
    record Broke(int step, Operation op, String what) implements Failure {
        @Override public List<Rule> rules() { return List.empty(); }

        @Override public String headline() { return "the implementation broke the protocol at " + op + ": " + what; }
    }
}
