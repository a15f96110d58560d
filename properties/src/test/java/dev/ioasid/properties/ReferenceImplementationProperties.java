package dev.ioasid.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.contract.Profile;
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

    /** A device whose guest owns the PASID table (PRQ-8) beside one that does not, under both profiles. */
    @Test
    void referenceImplementationRefinesTheModelWithAGuestOwnedPasidTable() {
        Bounds bounds = new Bounds(4, 8, 1, java.util.List.of(
                new DeviceSpec(1, 1, 4, true, DriverKind.VFIO_PCI, true), new DeviceSpec(2, 1, 4, true, DriverKind.VFIO_PCI)),
                4, 4, 6, 1, 2, 2);
        for (Profile profile : Profile.values()) {
            PropertyResult.Passed passed = PropertyAssertions.assertContractHolds(
                    PropertyConfig.defaults().withTries(2_000).withBounds(bounds.withProfile(profile)),
                    ReferenceImplementation.FACTORY);
            assertThat(passed.coverage().rules()).as("%s", profile).contains(dev.ioasid.model.Rule.PRQ_8);
        }
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
