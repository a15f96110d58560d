package dev.ioasid.tck;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.reference.ReferenceImplementation;

/** The kit against the reference implementation, as an implementer would run it against theirs. */
class ReferenceTckTests extends IoasidTck {
    @Override
    protected ImplementationFactory factory() {
        return ReferenceImplementation.FACTORY;
    }

    @org.junit.jupiter.api.Test
    void itIsNamedInReportsAsTheReference() {
        org.assertj.core.api.Assertions.assertThat(factory().name()).isEqualTo("reference");
    }
}
