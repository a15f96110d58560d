package dev.ioasid.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.reference.ReferenceImplementation;
import org.junit.jupiter.api.Test;

/** The reference implementation refines the model on thousands of random sequences. */
class ReferenceImplementationProperties {

    @Test
    void referenceImplementationRefinesTheModel() {
        PropertyResult.Passed passed = PropertyAssertions.assertContractHolds(
                PropertyConfig.defaults().withTries(10_000), ReferenceImplementation.FACTORY);

        assertThat(passed.coverage().sequences()).isEqualTo(passed.config().tries());
    }

    @Test
    void referenceImplementationRefinesTheModelUnderIommufd() {
        PropertyConfig defaults = PropertyConfig.defaults().withTries(5_000);
        PropertyResult.Passed passed = PropertyAssertions.assertContractHolds(
                defaults.withBounds(defaults.bounds().withProfile(dev.ioasid.contract.Profile.IOMMUFD)),
                ReferenceImplementation.FACTORY);

        assertThat(passed.coverage().sequences()).isEqualTo(passed.config().tries());
        assertThat(passed.coverage().rules()).contains(dev.ioasid.model.Rule.ATT_12, dev.ioasid.model.Rule.GEN_2);
    }
}
