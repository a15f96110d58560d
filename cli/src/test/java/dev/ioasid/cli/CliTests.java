package dev.ioasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.reports.TraceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command end to end: exit codes, the trace file it writes, and replaying it. */
class CliTests extends CapturedOutput {
    @TempDir
    Path dir;


    @Test
    void fuzzPassesOnTheReferenceImplementation() {
        assertThat(Main.run("fuzz", "--tries", "50", "--out", dir.toString())).isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("PASSED").contains("rules exercised");
    }

    @Test
    void fuzzWritesATraceThatReplays() throws Exception {
        int code = Main.run("fuzz", "--impl", "mutant:replace-not-atomic", "--out", dir.toString());

        assertThat(code).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("FAILED:").contains("minimal trace (4 steps)").contains("replay: ");
        Path trace;
        try (Stream<Path> files = Files.list(dir)) {
            trace = files.filter(f -> f.getFileName().toString().startsWith("trace-") && f.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        assertThat(Files.exists(Path.of(trace.toString().replace(".json", ".md")))).isTrue();
        assertThat(TraceFile.read(trace).steps()).hasSize(4);

        assertThat(Main.run("replay", "--out", dir.toString(), trace.toString())).isEqualTo(Main.VIOLATION);
        assertThat(runPrintedReplayLine()).isEqualTo(Main.VIOLATION);
        assertThat(Main.run("replay", "--out", dir.toString(), trace.toString(), "--impl", "reference")).isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("PASSES:");
    }

    /** Runs the first "replay: java -jar cli/target/ioasid-contract.jar ..." line printed so far, as a shell would split it. */
    private int runPrintedReplayLine() {
        String prefix = "replay: java -jar " + ReplayLine.JAR + " ";
        String line = out.toString().lines().map(String::trim).filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        out.reset();
        return Main.run(shellWords(line.substring(prefix.length())).toArray(String[]::new));
    }

    /** Words split on spaces, single quotes grouping ('\'' is a quote inside), as sh reads them. */
    static java.util.List<String> shellWords(String line) {
        java.util.List<String> words = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }

    @Test
    void malformedBoundsFileIsBadInputNamingFileAndField() throws Exception {
        Path bounds = dir.resolve("bounds.json");
        Files.writeString(bounds, "{\"capacity\": \"six\"}");

        assertThat(Main.run("fuzz", "--bounds", bounds.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("bounds.json: bounds.capacity: expected a whole number, found \"six\"");
    }

    @Test
    void boundsFileFromTheBoundsCommandIsAccepted() throws Exception {
        assertThat(Main.run("bounds")).isEqualTo(Main.HOLDS);
        Path bounds = dir.resolve("bounds.json");
        Files.writeString(bounds, out.toString());

        assertThat(Main.run("fuzz", "--bounds", bounds.toString(), "--tries", "20", "--out", dir.toString()))
                .isEqualTo(Main.HOLDS);
    }

    @Test
    void unknownImplementationAndUsageErrorsAreExitTwo() {
        assertThat(Main.run("fuzz", "--impl", "nope")).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("unknown implementation 'nope'");
        assertThat(Main.run("fuzz", "--tries", "many")).isEqualTo(Main.BAD_INPUT);
        assertThat(Main.run("replay", "--out", dir.toString(), dir.resolve("missing.json").toString())).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void exploreReturnsEachVariantsShortestTrace() throws Exception {
        assertThat(Main.run("explore", "--design", "both-register", "--out", dir.toString())).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("VIOLATED").contains("minimal trace (5 steps)");
        assertThat(TraceFile.read(dir.resolve("explore-both-register.json")).engine()).isEqualTo("explore");
        assertThat(Main.run("replay", "--out", dir.toString(), dir.resolve("explore-both-register.json").toString())).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("STILL FAILS: design both-register");
        assertThat(Main.run("explore", "--design", "nope")).isEqualTo(Main.BAD_INPUT);
    }

    /** Interleaved fault delivery: without the drain a queued group outlives its point's detach; the trace replays. */
    @Test
    void exploreUnderInterleavedDeliveryRefutesTheDesignWithoutTheDrain() throws Exception {
        assertThat(Main.run("explore", "--bounds", "../bounds/explore-one-queue.json", "--fault-delivery",
                "interleaved-no-drain", "--out", dir.toString())).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("with interleaved-no-drain fault delivery").contains("minimal trace (4 steps)")
                .contains("no group waits in the page request queue past a detach or replace of its point");
        Path trace = dir.resolve("explore-page-table-owner-interleaved-no-drain.json");
        assertThat(TraceFile.read(trace).implementation()).isEqualTo("model/page-table-owner+interleaved-no-drain");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("interleaved-no-drain (a completed group waits");
        String replay = out.toString().lines().filter(l -> l.startsWith("replay: ")).findFirst().orElseThrow();
        assertThat(replay).endsWith(trace.toString());
        assertThat(Main.run("replay", "--out", dir.toString(), trace.toString())).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("STILL FAILS: design page-table-owner+interleaved-no-drain");
        assertThat(Main.run("explore", "--fault-delivery", "later")).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--fault-delivery: unknown mode 'later'");
    }

    @Test
    void conformFindsAShortestMismatchAndPassesTheReference() {
        // 30 states do not cover the bounds: no mismatch, but inconclusive, not a pass.
        assertThat(Main.run("conform", "--max-states", "30", "--out", dir.toString())).isEqualTo(Main.INCONCLUSIVE);
        assertThat(out.toString()).contains("bound exhausted before every state was").contains("depth reached: ");
        assertThat(Main.run("conform", "--impl", "mutant:partial-group-delivered", "--out", dir.toString()))
                .isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("minimal trace (2 steps) against partial-group-delivered, found by conform");
    }

    @Test
    void theShippedOneQueueBoundsFileIsTheExplorersOneQueueBounds() throws Exception {
        assertThat(TraceFile.readBounds(Path.of("../bounds/explore-one-queue.json")))
                .isEqualTo(dev.ioasid.explorer.ExploreConfig.oneQueueBounds());
    }

    @Test
    void everyShippedBoundsFileReads() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("../bounds"))) {
            java.util.List<Path> all = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(all).extracting(f -> f.getFileName().toString())
                    .contains("explore-mdev.json", "explore-one-queue.json", "explore-viommu.json");
            for (Path file : all) {
                assertThat(TraceFile.readBounds(file)).as(file.toString()).isNotNull();
            }
        }
        // The mdev bounds are the explorer's default with an mdev device without PRI added.
        var mdev = TraceFile.readBounds(Path.of("../bounds/explore-mdev.json"));
        assertThat(mdev.devices().subList(0, 2)).isEqualTo(dev.ioasid.explorer.ExploreConfig.defaultBounds().devices());
        assertThat(mdev.devices().get(2).driver()).isEqualTo(dev.ioasid.contract.DriverKind.MDEV);
        assertThat(mdev.devices().get(2).pri()).isFalse();
    }

    @Test
    void theShippedOneQueueBoundsFileReadsAndShowsBothRegisterBreaking() {
        assertThat(Main.run("explore", "--bounds", "../bounds/explore-one-queue.json", "--design", "both-register",
                "--out", dir.toString())).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("objects/vm=3").contains("minimal trace (5 steps)");
    }

    @Test
    void exploreWithoutTheReductionFindsTheSameTraceAndSkipsNothing() throws Exception {
        assertThat(Main.run("explore", "--bounds", "../bounds/explore-one-queue.json", "--design", "both-register",
                "--out", dir.toString())).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("more skipped by sleep sets");
        String reduced = java.nio.file.Files.readString(dir.resolve("explore-both-register.json"));
        out.reset();

        assertThat(Main.run("explore", "--bounds", "../bounds/explore-one-queue.json", "--design", "both-register",
                "--no-reduction", "--out", dir.toString())).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("878 distinct states").doesNotContain("skipped");
        assertThat(java.nio.file.Files.readString(dir.resolve("explore-both-register.json"))).isEqualTo(reduced);
    }

    /** However the frontier is kept, the same states and the same trace; a way it cannot be kept is refused. */
    @Test
    void exploreKeepsItsFrontierPackedOrAsObjectsWithTheSameResults() throws Exception {
        java.util.List<String> printed = new java.util.ArrayList<>();
        for (String way : java.util.List.of("objects", "packed", "auto")) {
            out.reset();
            assertThat(Main.run("explore", "--bounds", "../bounds/explore-one-queue.json", "--design", "both-register",
                    "--frontier", way, "--out", dir.toString())).isEqualTo(Main.VIOLATION);
            printed.add(out.toString().lines().filter(l -> l.contains("distinct states")).findFirst().orElseThrow()
                    .replaceFirst(", depth.*", "") + java.nio.file.Files.readString(dir.resolve("explore-both-register.json")));
        }
        assertThat(printed.get(1)).isEqualTo(printed.get(0));
        assertThat(printed.get(2)).isEqualTo(printed.get(0));
        assertThat(Main.run("explore", "--frontier", "zipped")).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--frontier: unknown way 'zipped'");
    }

    @Test
    void anImplementationInAnotherProcessIsCheckedAndItsBreakagesAreVerdicts() {
        String python = "python3 ../examples/python/ioasid_impl.py";
        assertThat(Main.run("fuzz", "--impl-cmd", python, "--tries", "20", "--out", dir.toString())).isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("PASSED").contains("implementation: python-example");

        String outOfOrder = "python3 ../process/src/test/resources/misbehaving.py out-of-order 1";
        assertThat(Main.run("conform", "--impl-cmd", outOfOrder, "--out", dir.toString())).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("answered seq 2, expected 1 (out of order)").contains("-> (no answer)")
                .contains("conform-misbehaving.json --impl-cmd '" + outOfOrder + "'").doesNotContain("Exception");
        assertThat(runPrintedReplayLine()).as("the printed replay line breaks the same way").isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("answered seq 2, expected 1 (out of order)");
        // Without the command, the trace's implementation cannot be reached: refused, not replayed on another.
        assertThat(Main.run("replay", "--out", dir.toString(), dir.resolve("conform-misbehaving.json").toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("cannot reach").contains("it was reached with: --impl-cmd '" + outOfOrder + "'");

        String hang = "python3 ../process/src/test/resources/misbehaving.py hang 1";
        assertThat(Main.run("replay", "--out", dir.toString(), dir.resolve("conform-misbehaving.json").toString(), "--impl-cmd", hang,
                "--impl-timeout", "0.5")).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("did not answer within 0.5 s").doesNotContain("Exception");
    }
}
