package dev.ioasid.properties;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.reference.ReferenceImplementation;

/** The contract examples against the reference implementation. */
class ReferenceContractTests extends ContractExamples {
    @Override
    protected IoasidImplementation create(Bounds bounds) {
        return new ReferenceImplementation(bounds);
    }
}
