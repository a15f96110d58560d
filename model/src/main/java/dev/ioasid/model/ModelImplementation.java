package dev.ioasid.model;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;

/**
 * The model run as an implementation: where the contract leaves a choice it takes the first legal
 * one (the lowest free ID). Useful as an executable specification in examples and as a baseline.
 */
public final class ModelImplementation implements IoasidImplementation {

    public static final ImplementationFactory FACTORY = new ImplementationFactory() {
        @Override public String name() { return "model"; }

        @Override public IoasidImplementation create(Bounds bounds) { return new ModelImplementation(bounds); }
    };

    private ModelState state;

    public ModelImplementation(Bounds bounds) {
        this.state = Model.initial(bounds);
    }

    @Override
    public Result apply(Operation op) {
        Transition.Step step = Model.step(state, op).canonical();
        state = step.next();
        return step.result();
    }

    public ModelState state() {
        return state;
    }
}
