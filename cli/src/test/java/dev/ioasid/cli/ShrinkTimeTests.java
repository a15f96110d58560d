package dev.ioasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fuzz --shrink-time: shrinking stops at a time limit and reports the smallest trace so far, which replays. */
class ShrinkTimeTests extends CapturedOutput {
    @TempDir
    Path dir;

    @Test
    void aShrinkStoppedByTimeIsMarkedAndItsTraceReplays() {
        assertThat(Main.run("fuzz", "--impl", "mutant:replace-not-atomic", "--shrink-time", "0.000001",
                "--out", dir.toString(), "-q")).isEqualTo(Main.VIOLATION);
        String printed = out.toString();
        assertThat(printed).contains("shrinking stopped by its budget, --shrink-time or 50,000 replays: the trace may not be minimal");
        Path trace = dir.resolve("trace-replace-not-atomic-seed20210601.json");
        assertThat(trace).exists();
        assertThat(printed).contains("smallest trace found, not proven minimal (").doesNotContain("minimal trace (");
        out.reset();

        assertThat(Main.run("replay", "--out", dir.toString(), trace.toString(), "--impl", "mutant:replace-not-atomic")).isEqualTo(Main.VIOLATION);
        assertThat(Main.run("replay", "--out", dir.toString(), trace.toString(), "--impl", "reference")).as("the reference passes it").isEqualTo(Main.HOLDS);
    }

    @Test
    void withoutALimitTheSameBugShrinksToItsShortest() throws Exception {
        assertThat(Main.run("fuzz", "--impl", "mutant:replace-not-atomic", "--out", dir.toString(), "-q"))
                .isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("minimal trace (4 steps)").doesNotContain("shrinking stopped");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("report.html", "run-replace-not-atomic-seed20210601.json", "trace-replace-not-atomic-seed20210601.json",
                        "trace-replace-not-atomic-seed20210601.md");
    }

    @Test
    void aNegativeShrinkTimeIsBadInput() {
        assertThat(Main.run("fuzz", "--shrink-time", "-1", "--out", dir.toString(), "-q")).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--shrink-time must be 0 (no limit) or a number of seconds, was -1.0");
    }
}
