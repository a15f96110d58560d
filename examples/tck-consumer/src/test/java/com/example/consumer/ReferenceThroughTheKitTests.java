package com.example.consumer;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.reference.ReferenceImplementation;
import dev.ioasid.tck.IoasidTck;

/** The kit as an implementer runs it: extend IoasidTck and name the factory of the implementation under test. */
class ReferenceThroughTheKitTests extends IoasidTck {
    @Override
    protected ImplementationFactory factory() {
        return ReferenceImplementation.FACTORY;
    }
}
