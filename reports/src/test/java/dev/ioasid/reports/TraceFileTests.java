package dev.ioasid.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ioasid.contract.Bounds;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace file format: round trip, whole-or-nothing writes, and errors that say where. */
class TraceFileTests {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryField() throws Exception {
        Trace trace = SampleTraces.replaceNotAtomic();
        Path file = dir.resolve("t.json");

        TraceFile.write(file, trace);

        assertThat(TraceFile.read(file)).isEqualTo(trace);
        assertThat(Files.list(dir)).containsExactly(file);
    }

    @Test
    void theRootCauseRoundTrips() throws Exception {
        Trace trace = SampleTraces.replaceNotAtomicWithCause();
        Path file = dir.resolve("t.json");

        TraceFile.write(file, trace);

        assertThat(TraceFile.read(file)).isEqualTo(trace);
        assertThat(TraceFile.read(file).cause().step()).isEqualTo(2);
    }

    @Test
    void aRootCauseAtOrAfterTheFailingStepIsRefusedWithWhere() throws Exception {
        Path file = dir.resolve("t.json");
        Files.writeString(file, TraceFile.toJson(SampleTraces.replaceNotAtomicWithCause()).replace("\"step\" : 2", "\"step\" : 3"));

        assertThatThrownBy(() -> TraceFile.read(file)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("t.json: rootCause.step: expected a step before the failing one, 0..2, found 3");
        Files.writeString(file, TraceFile.toJson(SampleTraces.replaceNotAtomicWithCause()).replace("\"shownBy\"", "\"shown\""));
        assertThatThrownBy(() -> TraceFile.read(file)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("rootCause").hasMessageContaining("shown");
    }

    @Test
    void aStepWithoutAnAnswerRoundTripsAndReadsAsNoAnswer() throws Exception {
        Trace sample = SampleTraces.replaceNotAtomic();
        java.util.List<TraceStep> steps = new java.util.ArrayList<>(sample.steps().subList(0, 2));
        steps.add(TraceStep.unanswered(new dev.ioasid.contract.Operation.AllocIoas(1)));
        Trace trace = new Trace("fuzz", "process", sample.bounds(), sample.seed(),
                "the implementation broke the protocol at allocIoas(vm=1): it exited", java.util.List.of(), 2, steps);
        Path file = dir.resolve("broke.json");

        TraceFile.write(file, trace);

        assertThat(Files.readString(file)).doesNotContain("\"observed\" : null");
        assertThat(TraceFile.read(file)).isEqualTo(trace);
        assertThat(TraceRenderer.text(trace, java.util.List.of()))
                .contains("allocIoas(vm=1)").contains("-> (no answer)   <-- expected a result")
                .contains("broken rule: none: the implementation gave no result to judge");
    }

    @Test
    void boundsRoundTrip() throws Exception {
        Path file = dir.resolve("bounds.json");
        Files.writeString(file, TraceFile.boundsJson(Bounds.defaults()));

        assertThat(TraceFile.readBounds(file)).isEqualTo(Bounds.defaults());
    }

    @Test
    void malformedJsonSaysFileAndPlace() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"format\": \"ioasid-contract-trace/1\",\n \"steps\": [ }");

        assertThatThrownBy(() -> TraceFile.read(file)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("broken.json").hasMessageContaining("line 2");
    }

    @Test
    void wrongFieldSaysWhichAndWhatWasExpected() throws Exception {
        Path file = dir.resolve("t.json");
        String json = TraceFile.toJson(SampleTraces.replaceNotAtomic()).replaceFirst("\"device\" : 1", "\"device\" : \"one\"");
        Files.writeString(file, json);

        assertThatThrownBy(() -> TraceFile.read(file)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("t.json: steps[1].op.device: expected a whole number, found \"one\"");
    }

    @Test
    void unknownOperationListsTheKnownOnes() throws Exception {
        Path file = dir.resolve("t.json");
        Files.writeString(file, TraceFile.toJson(SampleTraces.replaceNotAtomic()).replace("\"attach\"", "\"atach\""));

        assertThatThrownBy(() -> TraceFile.read(file)).hasMessageContaining("steps[1].op.op: expected one of [")
                .hasMessageContaining("attach").hasMessageContaining("found \"atach\"");
    }

    @Test
    void invalidBoundsSayWhatIsWrong() throws Exception {
        Path file = dir.resolve("bounds.json");
        Files.writeString(file, TraceFile.boundsJson(Bounds.defaults()).replace("\"capacity\" : 6", "\"capacity\" : 0"));

        assertThatThrownBy(() -> TraceFile.readBounds(file))
                .hasMessageContaining("bounds.json: bounds: invalid bounds: capacity must be in 1..1048576, was 0");
    }

    @Test
    void missingFileSaysSo() {
        assertThatThrownBy(() -> TraceFile.read(dir.resolve("nope.json")))
                .hasMessageContaining("nope.json: cannot read: no such file");
    }

    @Test
    void writtenFilesAreReadableByOthers() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("t.json");

        TraceFile.write(file, SampleTraces.replaceNotAtomic());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    }

    @Test
    void overwritingAPrivateFileLeavesItReadableByOthers() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("report.md");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        TraceFile.writeWhole(file, "new");

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        assertThat(Files.list(dir)).containsExactly(file);
    }
}
