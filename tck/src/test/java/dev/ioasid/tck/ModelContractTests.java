package dev.ioasid.tck;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.model.ModelImplementation;

/** The contract examples against the model itself, run as an implementation. */
class ModelContractTests extends ContractExamples {
    @Override
    protected IoasidImplementation create(Bounds bounds) {
        return new ModelImplementation(bounds);
    }
}
