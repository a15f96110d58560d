package com.example.ioasid;

import dev.ioasid.tck.ServiceLoaderTck;

/** The other way in: every implementation registered in META-INF/services, found by ServiceLoader. */
class RegisteredImplementationsTests extends ServiceLoaderTck {
}
