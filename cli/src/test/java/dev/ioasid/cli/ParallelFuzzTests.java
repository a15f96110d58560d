package dev.ioasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fuzz --parallel end to end: verdicts, exit codes, the replay line it prints (run here), bad combinations. */
class ParallelFuzzTests extends CapturedOutput {
    @TempDir
    Path dir;

    @Test
    void theConcurrentReferenceIsLinearizable() {
        assertThat(Main.run("fuzz", "--parallel", "--tries", "300", "--out", dir.toString())).isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("PASSED (every history linearizable)").contains("implementation: reference-concurrent")
                .contains("histories: 300 of 300");
        assertThat(dir.resolve("report.html")).exists();
    }

    @Test
    void aPlantedRaceIsShrunkAndItsReplayLineFindsTheSameHistory() throws Exception {
        assertThat(Main.run("fuzz", "--parallel", "--impl", "mutant:attach-check-then-act", "--out", dir.toString()))
                .isEqualTo(Main.VIOLATION);
        String printed = out.toString();
        assertThat(printed).contains("NOT LINEARIZABLE").contains("smallest failing history (3 calls)")
                .contains("returned ok, expected EBUSY [ATT-1]");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("NOT LINEARIZABLE").contains("Why no order is legal");
        String replay = printed.lines().filter(l -> l.startsWith("replay: ")).findFirst().orElseThrow()
                .substring(("replay: java -jar " + ReplayLine.JAR + " ").length());
        String history = printed.substring(printed.indexOf("smallest failing history"), printed.indexOf("found at history"));
        out.reset();
        java.util.List<String> words = new java.util.ArrayList<>(CliTests.shellWords(replay));
        words.addAll(java.util.List.of("--out", dir.toString()));
        assertThat(Main.run(words.toArray(String[]::new))).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains(history);
    }

    @Test
    void aProcessThatTakesConcurrentRequestsGetsParallelRunsAndItsPlantedRaceIsFound() throws Exception {
        String python = "python3 ../examples/python/ioasid_impl.py";
        assertThat(Main.run("fuzz", "--parallel", "--impl-cmd", python, "--tries", "100", "--out", dir.toString()))
                .isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("PASSED (every history linearizable)").contains("free-running threads");
        out.reset();
        // Free-running threads: found within the tries on most runs, not all; the test asks for it on any
        // of three seeds, and shrinks for at most five seconds.
        int verdict = Main.HOLDS;
        for (int seed = 1; seed <= 3 && verdict != Main.VIOLATION; seed++) {
            verdict = Main.run("fuzz", "--parallel", "--impl-cmd", "IOASID_RACE=attach-check-then-act " + python,
                    "--seed", String.valueOf(seed), "--tries", "400", "--shrink-time", "5", "--out", dir.toString());
        }
        assertThat(verdict).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("NOT LINEARIZABLE").contains("[ATT-1]")
                .contains("run again (free-running threads interleave as the machine decides");
        assertThat(java.nio.file.Files.readString(dir.resolve("report.html")))
                .contains("which may not fail the same way twice");
    }

    @Test
    void whatDoesNotCombineWithParallelIsBadInput() {
        assertThat(Main.run("fuzz", "--parallel", "--shard", "1/2", "--out", dir.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(Main.run("fuzz", "--parallel", "--feedback", "--out", dir.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(Main.run("fuzz", "--parallel", "--impl-cmd", "IOASID_CONCURRENT=0 python3 ../examples/python/ioasid_impl.py",
                "--out", dir.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("did not declare \"concurrent\": true in its hello");
        assertThat(Main.run("fuzz", "--parallel", "--length", "10", "--out", dir.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(Main.run("fuzz", "--parallel", "--corpus", dir.toString(), "--out", dir.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--parallel does not combine with --corpus");
        assertThat(Main.run("fuzz", "--parallel", "--threads", "5", "--out", dir.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--parallel: tries >= 1, prefix >= 0, 2 to 4 threads");
        assertThat(Main.run("fuzz", "--stress", "--out", dir.toString())).isEqualTo(Main.BAD_INPUT);
    }
}
