package dev.ioasid.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bounds validation: every field has a range, and every accepted bounds is small enough to run. */
class BoundsTests {
    private static final List<DeviceSpec> ONE_DEVICE = List.of(new DeviceSpec(1, 1, 8, true, DriverKind.VFIO_PCI));

    @Test
    void theLargestBoundsInEveryFieldAreAccepted() {
        List<DeviceSpec> devices = new ArrayList<>();
        for (int i = 1; i <= Bounds.MAX_DEVICES; i++) {
            devices.add(new DeviceSpec(Bounds.MAX_DEVICE_ID - i, i, Bounds.MAX_PASIDS, true, DriverKind.VFIO_PCI));
        }

        assertThatCode(() -> new Bounds(1 << 20, 1 << 20, 64, devices, 1 << 16, 1 << 16, 1 << 16, 64, 1 << 16, 1 << 16))
                .doesNotThrowAnyException();
    }

    @Test
    void theKernelSelftestBoundsAreAccepted() {
        assertThatCode(() -> new Bounds(1, (1 << 20) - 1, 1,
                List.of(new DeviceSpec(1, 1, 1 << 20, true, DriverKind.VFIO_PCI, true)), 1024, 1024, 32, 0, 1, 4,
                Profile.IOMMUFD)).doesNotThrowAnyException();
    }

    @Test
    void eachFieldAboveItsLimitIsReportedWithItsRange() {
        assertThatThrownBy(() -> new Bounds(1, Integer.MAX_VALUE, 1, ONE_DEVICE, 8, 8, 6, 0, 1, 1))
                .hasMessageContaining("pasidMax must be in 1..1048576, was 2147483647");
        assertThatThrownBy(() -> new Bounds(Integer.MAX_VALUE, Integer.MAX_VALUE, 1, ONE_DEVICE, 8, 8, 6, 0, 1, 1))
                .hasMessageContaining("capacity must be in 1..1048576, was 2147483647");
        assertThatThrownBy(() -> new Bounds(1, 8, 65, ONE_DEVICE, 8, 8, 6, 0, 1, 1))
                .hasMessageContaining("vms must be in 1..64, was 65");
        assertThatThrownBy(() -> new Bounds(1, 8, 1, ONE_DEVICE, 1_000_000_000, 8, 6, 0, 1, 1))
                .hasMessageContaining("iovaPages must be in 1..65536, was 1000000000");
        assertThatThrownBy(() -> new Bounds(1, 8, 1, ONE_DEVICE, 8, 65537, 6, 0, 1, 1))
                .hasMessageContaining("hostPages must be in 1..65536, was 65537");
        assertThatThrownBy(() -> new Bounds(1, 8, 1, ONE_DEVICE, 8, 8, 65537, 0, 1, 1))
                .hasMessageContaining("maxObjects must be in 1..65536, was 65537");
        assertThatThrownBy(() -> new Bounds(1, 8, 1, ONE_DEVICE, 8, 8, 6, 65, 1, 1))
                .hasMessageContaining("mms must be in 0..64, was 65");
        assertThatThrownBy(() -> new Bounds(1, 8, 1, ONE_DEVICE, 8, 8, 6, 0, 65537, 1))
                .hasMessageContaining("mmPages must be in 1..65536, was 65537");
        assertThatThrownBy(() -> new Bounds(1, 8, 1, ONE_DEVICE, 8, 8, 6, 0, 1, 65537))
                .hasMessageContaining("groups must be in 1..65536, was 65537");
    }

    @Test
    void lowerLimitsUseTheSameWords() {
        assertThatThrownBy(() -> new Bounds(0, 8, 1, ONE_DEVICE, 8, 8, 6, -1, 0, 0))
                .hasMessageContaining("capacity must be in 1..1048576, was 0")
                .hasMessageContaining("mms must be in 0..64, was -1")
                .hasMessageContaining("mmPages must be in 1..65536, was 0")
                .hasMessageContaining("groups must be in 1..65536, was 0");
    }

    @Test
    void deviceFieldsHaveRangesToo() {
        List<DeviceSpec> devices = List.of(new DeviceSpec((1 << 20) + 1, 2, (1 << 20) + 1, true, DriverKind.VFIO_PCI),
                new DeviceSpec(0, 1, -1, true, null));

        assertThatThrownBy(() -> new Bounds(1, 8, 1, devices, 8, 8, 6, 0, 1, 1))
                .hasMessageContaining("devices[0].id must be in 1..1048576, was 1048577")
                .hasMessageContaining("devices[0].vm must be in 1..1, was 2")
                .hasMessageContaining("devices[0].pasids must be in 0..1048576, was 1048577")
                .hasMessageContaining("devices[1].id must be in 1..1048576, was 0")
                .hasMessageContaining("devices[1].pasids must be in 0..1048576, was -1")
                .hasMessageContaining("devices[1].driver is missing");
    }

    @Test
    void reservedRangesMustLieWithinTheIovaPages() {
        DeviceSpec device = new DeviceSpec(1, 1, 8, true, DriverKind.VFIO_PCI, false, false, false,
                List.of(new ReservedRange(7, 1), new ReservedRange(6, 3), new ReservedRange(-1, 1), new ReservedRange(0, 0)));

        assertThatThrownBy(() -> new Bounds(1, 8, 1, List.of(device), 8, 8, 6, 0, 1, 1))
                .hasMessageNotContaining("reserved[0]")
                .hasMessageContaining("devices[0].reserved[1] must be at least one page within IOVA pages 0..7, was iova 6, pages 3")
                .hasMessageContaining("devices[0].reserved[2] must be at least one page within IOVA pages 0..7, was iova -1, pages 1")
                .hasMessageContaining("devices[0].reserved[3] must be at least one page within IOVA pages 0..7, was iova 0, pages 0");
        java.util.List<ReservedRange> withAHole = new ArrayList<>();
        withAHole.add(null);
        assertThatThrownBy(() -> device.withReserved(withAHole)).hasMessage("reserved[0] is missing");
    }

    @Test
    void tooManyDevicesIsOneProblemAndQuicklyFound() {
        List<DeviceSpec> devices = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            devices.add(new DeviceSpec(1, 1, 0, false, DriverKind.MDEV));
        }

        assertThatThrownBy(() -> new Bounds(1, 8, 1, devices, 8, 8, 6, 0, 1, 1))
                .hasMessage("invalid bounds: number of devices must be in 0..64, was 1000000");
    }

    @Test
    void aRepeatedDeviceIdNamesTheFirstDeviceWithIt() {
        List<DeviceSpec> devices = List.of(new DeviceSpec(7, 1, 0, false, DriverKind.MDEV),
                new DeviceSpec(3, 1, 0, false, DriverKind.MDEV), new DeviceSpec(7, 1, 0, false, DriverKind.MDEV),
                new DeviceSpec(7, 1, 0, false, DriverKind.MDEV));

        assertThatThrownBy(() -> new Bounds(1, 8, 1, devices, 8, 8, 6, 0, 1, 1))
                .hasMessageContaining("devices[2].id 7 repeats devices[0].id")
                .hasMessageContaining("devices[3].id 7 repeats devices[0].id");
    }

    @Test
    void theDefaultsAreValid() {
        assertThat(Bounds.defaults().devices()).hasSize(3);
    }
}
