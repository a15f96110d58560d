package dev.ioasid.properties;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationBroke;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Transition;
import dev.ioasid.model.invariants.Invariant;
import dev.ioasid.model.invariants.Invariants;
import io.vavr.Tuple2;
import io.vavr.control.Option;

/**
 * Runs an implementation and the model side by side: each operation goes to a fresh
 * implementation, its result must be one the model allows in the current state (refinement), and
 * every state the model reaches must satisfy every invariant.
 */
public final class LockStep {
    private final Bounds bounds;
    private final ImplementationFactory factory;
    private IoasidImplementation implementation;
    private ModelState state;
    private int index;

    public LockStep(Bounds bounds, ImplementationFactory factory) {
        this.bounds = bounds;
        this.factory = factory;
        this.state = Model.initial(bounds);
    }

    public ModelState state() {
        return state;
    }

    /** Applies one operation to both sides; a step record on success, else the failure. */
    public Outcome apply(Operation op) {
        int step = index++;
        Result observed;
        try {
            // Made at the first step, so that an implementation that cannot even start (a process
            // that is not there) is a failure of that step like any other, not an exception.
            if (implementation == null) {
                implementation = factory.create(bounds);
            }
            observed = implementation.apply(op);
        } catch (ImplementationBroke e) {
            return new Outcome(Option.none(), Option.some(new Failure.Broke(step, op, e.getMessage())));
        } catch (RuntimeException | StackOverflowError e) {
            return new Outcome(Option.none(), Option.some(new Failure.Crashed(step, op, e.toString())));
        }
        Transition transition = Model.step(state, op);
        Option<Transition.Step> accepted = transition.accept(observed);
        if (accepted.isEmpty()) {
            return new Outcome(Option.some(new StepRecord(op, observed, transition, transition.rules())),
                    Option.some(new Failure.Mismatch(step, op, observed, transition.expected(), transition.rules())));
        }
        ModelState before = state;
        state = accepted.get().next();
        StepRecord record = new StepRecord(op, observed, transition, accepted.get().rules());
        // As TLC does, check invariants on new states only: a step that changed nothing (an error, a
        // query) leaves the very same state object, which was checked when it was reached.
        Option<Tuple2<Invariant, String>> broken = state == before ? Option.none() : Invariants.firstViolation(state, before);
        if (broken.isDefined()) {
            return new Outcome(Option.some(record),
                    Option.some(new Failure.InvariantBroken(step, broken.get()._1, broken.get()._2)));
        }
        return new Outcome(Option.some(record), Option.none());
    }

    /** A step's record (absent if the implementation crashed) and its failure (absent if it passed). */
    public record Outcome(Option<StepRecord> record, Option<Failure> failure) {
        public boolean failed() {
            return failure.isDefined();
        }
    }
}
