package com.example.ioasid;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.tck.IoasidTck;

/** The whole kit against SmallIoasid: the contract by example, a property run and bounded conformance. */
class SmallIoasidTckTests extends IoasidTck {
    @Override
    protected ImplementationFactory factory() {
        return new SmallIoasid.Factory();
    }
}
