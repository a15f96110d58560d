package dev.ioasid.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioasid.contract.Bounds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input files: every misspelt field, stray byte and out-of-range number is an error that says
 * which file, where and what was expected, in a message of reasonable length.
 */
class StrictReadingTests {
    private static final byte[] BINARY = {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3, 0x28};

    @TempDir
    Path dir;

    private String trace() {
        return TraceFile.toJson(SampleTraces.replaceNotAtomic());
    }

    private String bounds() {
        return TraceFile.boundsJson(Bounds.defaults());
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void anUnknownDeviceFieldNamesThePathAndTheKnownFields() throws Exception {
        Path file = file("bounds.json", bounds().replaceFirst("\"pasids\" : 8", "\"pasid\" : 8"));

        assertThatThrownBy(() -> TraceFile.readBounds(file)).isInstanceOf(TraceFormatException.class).hasMessage(file
                + ": bounds.devices[0]: unknown field \"pasid\"; known: dirtyTracking, driver, id, pasids, pri, reserved, userPasidTable, viommu, vm");
    }

    @Test
    void anUnknownBoundsFieldIsAnError() throws Exception {
        Path file = file("bounds.json", bounds().replaceFirst("\"groups\" : 2", "\"groups\" : 2, \"colour\" : 1"));

        assertThatThrownBy(() -> TraceFile.readBounds(file))
                .hasMessageContaining("bounds.json: bounds: unknown field \"colour\"; known: capacity, devices, groups");
    }

    @Test
    void anUnknownOperationFieldIsAnErrorButItsTagIsKnown() throws Exception {
        Path file = file("t.json", trace().replaceFirst("\"op\" : \"allocIoas\"", "\"op\" : \"allocIoas\", \"vms\" : 1"));

        assertThatThrownBy(() -> TraceFile.read(file))
                .hasMessage(file + ": steps[0].op: unknown field \"vms\"; known: op, vm");
    }

    @Test
    void anUnknownResultFieldIsAnErrorButItsTagIsKnown() throws Exception {
        Path file = file("t.json", trace().replaceFirst("\"result\" : \"allocated\"",
                "\"result\" : \"allocated\", \"pasid\" : 3"));

        assertThatThrownBy(() -> TraceFile.read(file))
                .hasMessage(file + ": steps[0].observed: unknown field \"pasid\"; known: id, result");
    }

    @Test
    void anUnknownStepFieldIsAnError() throws Exception {
        Path file = file("t.json", trace().replaceFirst("\"expected\" : \"ok\"", "\"expected\" : \"ok\", \"note\" : \"x\""));

        assertThatThrownBy(() -> TraceFile.read(file))
                .hasMessage(file + ": steps[1]: unknown field \"note\"; known: changes, expected, observed, op, rules");
    }

    @Test
    void anUnknownTopLevelTraceFieldIsAnError() throws Exception {
        Path file = file("t.json", trace().replaceFirst("\"engine\" : \"fuzz\"", "\"engine\" : \"fuzz\", \"engnie\" : 1"));

        assertThatThrownBy(() -> TraceFile.read(file)).hasMessage(file + ": unknown field \"engnie\"; known: bounds, "
                + "brokenRules, engine, failingStep, format, headline, implementation, reach, rootCause, seed, steps");
    }

    @Test
    void garbageAfterTheTraceSaysWhere() throws Exception {
        String json = trace();
        Path file = file("t.json", json + "\n  garbage\n");
        long line = json.chars().filter(c -> c == '\n').count() + 2;

        assertThatThrownBy(() -> TraceFile.read(file))
                .hasMessage(file + ": trailing content after the JSON value at line " + line + ", column 3");
    }

    @Test
    void twoConcatenatedObjectsAreAnError() throws Exception {
        String one = RecordJson.write(Bounds.defaults()).toString();
        Path file = file("bounds.json", one + one);

        assertThatThrownBy(() -> TraceFile.readBounds(file))
                .hasMessage(file + ": trailing content after the JSON value at line 1, column " + (one.length() + 1));
    }

    @Test
    void whiteSpaceAfterTheValueIsFine() throws Exception {
        Path file = file("bounds.json", bounds() + " \r\n\t\n");

        assertThat(TraceFile.readBounds(file)).isEqualTo(Bounds.defaults());
    }

    @Test
    void anEmptyFileSaysWhatWasExpected() throws Exception {
        Path bounds = file("bounds.json", "");
        Path trace = file("t.json", " \n\n");

        assertThatThrownBy(() -> TraceFile.readBounds(bounds)).hasMessage(bounds + ": empty: expected a JSON object");
        assertThatThrownBy(() -> TraceFile.read(trace))
                .hasMessageStartingWith(trace + ": empty: expected a trace object {\"format\": \"ioasid-contract-trace/1\"");
    }

    @Test
    void aTraceThatIsNotAnObjectSaysSo() throws Exception {
        Path file = file("t.json", "[1, 2]");

        assertThatThrownBy(() -> TraceFile.read(file)).hasMessage(file + ": expected a trace object, found [1,2]");
    }

    @Test
    void boundsThatAreNotAnObjectSaySo() throws Exception {
        Path nothing = file("null.json", "null");
        Path list = file("list.json", "[]");

        assertThatThrownBy(() -> TraceFile.readBounds(nothing)).hasMessage(nothing + ": bounds: expected an object, found null");
        assertThatThrownBy(() -> TraceFile.readBounds(list)).hasMessage(list + ": bounds: expected an object, found []");
    }

    @Test
    void aBinaryFileIsNotUtf8Text() throws Exception {
        Path file = Files.write(dir.resolve("core"), BINARY);

        assertThatThrownBy(() -> TraceFile.read(file)).hasMessage(file + ": not UTF-8 text");
        assertThatThrownBy(() -> TraceFile.readBounds(file)).hasMessage(file + ": not UTF-8 text");
        assertThatThrownBy(() -> LogFile.read(file)).hasMessage(file + ": not UTF-8 text");
    }

    @Test
    void longValuesAreCutInMessages() throws Exception {
        String huge = "x".repeat(100_000);
        Path file = file("bounds.json", bounds().replaceFirst("\"id\" : 1", "\"id\" : \"" + huge + "\""));

        assertThatThrownBy(() -> TraceFile.readBounds(file))
                .hasMessageContaining("bounds.devices[0].id: expected a whole number, found \"xxx")
                .hasMessageEndingWith("... (100002 characters)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void aLongUnknownFieldNameIsCutToo() throws Exception {
        String huge = "y".repeat(10_000);
        Path file = file("bounds.json", bounds().replaceFirst("\"groups\" : 2", "\"groups\" : 2, \"" + huge + "\" : 1"));

        assertThatThrownBy(() -> TraceFile.readBounds(file))
                .hasMessageContaining("unknown field \"yyy").hasMessageContaining("... (10002 characters); known: ")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
    }

    @Test
    void aNumberBeyondAnIntSaysTheRange() throws Exception {
        Path above = file("above.json", bounds().replace("\"capacity\" : 6", "\"capacity\" : 2147483648"));
        Path below = file("below.json", bounds().replace("\"capacity\" : 6", "\"capacity\" : -2147483649"));

        assertThatThrownBy(() -> TraceFile.readBounds(above)).hasMessage(above
                + ": bounds.capacity: expected a whole number from -2147483648 to 2147483647, found 2147483648");
        assertThatThrownBy(() -> TraceFile.readBounds(below)).hasMessageContaining(
                "bounds.capacity: expected a whole number from -2147483648 to 2147483647, found -2147483649");
    }

    @Test
    void aFractionIsNotAWholeNumber() throws Exception {
        Path file = file("bounds.json", bounds().replace("\"capacity\" : 6", "\"capacity\" : 6.5"));

        assertThatThrownBy(() -> TraceFile.readBounds(file))
                .hasMessage(file + ": bounds.capacity: expected a whole number, found 6.5");
    }

    @Test
    void aSeedBeyondALongSaysTheRange() throws Exception {
        Path file = file("t.json", trace().replace("\"seed\" : 20210601", "\"seed\" : 99999999999999999999"));

        assertThatThrownBy(() -> TraceFile.read(file)).hasMessage(file + ": seed: expected a whole number from "
                + "-9223372036854775808 to 9223372036854775807, found 99999999999999999999");
    }

    @Test
    void boundsBeyondTheLimitsAreRejectedWithTheRange() throws Exception {
        Path file = file("bounds.json", bounds().replace("\"pasidMax\" : 8", "\"pasidMax\" : 2147483647")
                .replace("\"iovaPages\" : 8", "\"iovaPages\" : 1000000000"));

        assertThatThrownBy(() -> TraceFile.readBounds(file))
                .hasMessageContaining("pasidMax must be in 1..1048576, was 2147483647")
                .hasMessageContaining("iovaPages must be in 1..65536, was 1000000000");
    }

    @Test
    void aRepeatedFieldIsAnError() throws Exception {
        Path file = file("bounds.json", bounds().replace("\"capacity\" : 6", "\"capacity\" : 6, \"capacity\" : 2"));

        assertThatThrownBy(() -> TraceFile.readBounds(file)).hasMessageContaining("bounds.json: not valid JSON at line 2")
                .hasMessageContaining("Duplicate field 'capacity'");
    }

    @Test
    void aLogHeaderWithAnUnknownDeviceFieldIsAnError() throws Exception {
        String header = "{\"format\":\"" + LogFile.FORMAT + "\",\"bounds\":"
                + RecordJson.write(Bounds.defaults()).toString().replaceFirst("\"pri\"", "\"prio\"") + "}\n";
        Path file = file("l.jsonl", header);

        assertThatThrownBy(() -> LogFile.read(file))
                .hasMessageContaining(file + ":1: bounds.devices[0]: unknown field \"prio\"; known: dirtyTracking, driver, id,");
    }
}
