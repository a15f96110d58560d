package dev.ioasid.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.reference.ReferenceImplementation;
import org.junit.jupiter.api.Test;

/** The reference implementation refines the model on thousands of random sequences. */
class ReferenceImplementationProperties {

    @Test
    void referenceImplementationRefinesTheModel() {
        PropertyResult.Passed passed = PropertyAssertions.assertContractHolds(
                PropertyConfig.defaults().withTries(3000), ReferenceImplementation.FACTORY);

        assertThat(passed.coverage().sequences()).isGreaterThanOrEqualTo(Math.min(3000, passed.config().tries()));
    }
}
