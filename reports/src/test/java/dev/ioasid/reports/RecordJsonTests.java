package dev.ioasid.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ioasid.contract.Operation;
import org.junit.jupiter.api.Test;

/** A flag that may be absent is written only when set, and read as unset when absent. */
class RecordJsonTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUnsetFlagThatMayBeAbsentIsLeftOutAndReadBackUnset() throws Exception {
        Operation plain = new Operation.AllocHwptPaging(1, 2, true, false, 0);
        String written = RecordJson.write(plain).toString();

        assertThat(written).doesNotContain("dirtyTracking");
        assertThat(RecordJson.readOperation(JSON.readTree(written), "op")).isEqualTo(plain);
    }

    @Test
    void aSetFlagIsWrittenAndReadBack() throws Exception {
        Operation dirty = new Operation.AllocHwptPaging(1, 2, false, false, 0, true);
        String written = RecordJson.write(dirty).toString();

        assertThat(written).contains("\"dirtyTracking\":true");
        assertThat(RecordJson.readOperation(JSON.readTree(written), "op")).isEqualTo(dirty);
    }
}
