package dev.ioasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fuzz run replays the failing traces earlier runs wrote before any random sequence. */
class FailureCorpusTests extends CapturedOutput {
    @TempDir
    Path dir;

    @TempDir
    Path cache;

    @Test
    void aBugFoundOnceIsFoundAgainByReplayBeforeAnyRandomSequence() {
        assertThat(Main.run("fuzz", "--impl", "mutant:replace-not-atomic", "--out", dir.toString(), "-q"))
                .isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("found after");
        out.reset();

        assertThat(Main.run("fuzz", "--impl", "mutant:replace-not-atomic", "--out", dir.toString(), "-q"))
                .isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("corpus: " + dir.resolve("trace-replace-not-atomic-seed20210601.json")
                        + " fails again, the 1st of 1 earlier failing traces")
                .contains("found again by replaying the corpus, before any random sequence")
                .contains("minimal trace (4 steps)").contains("sequences: 0 of 2000");
    }

    @Test
    void aFixedBugLetsTheRandomRunGoOn() {
        Main.run("fuzz", "--impl", "mutant:replace-not-atomic", "--out", dir.toString(), "-q");
        out.reset();

        assertThat(Main.run("fuzz", "--tries", "20", "--out", dir.toString(), "-q")).isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("corpus: 1 earlier failing trace(s) in " + dir + " replayed first: none fails now")
                .contains("PASSED");
    }

    @Test
    void aCorpusDirectoryServesRunsWritingElsewhereAndOnlyTracesOfTheSameBoundsAreReplayed() throws Exception {
        Main.run("fuzz", "--impl", "mutant:replace-not-atomic", "--out", cache.toString(), "-q");
        Files.writeString(cache.resolve("trace-broken.json"), "{ not a trace");
        out.reset();

        assertThat(Main.run("fuzz", "--impl", "mutant:replace-not-atomic", "--corpus", cache.toString(), "--out",
                dir.toString(), "-q")).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("fails again");
        assertThat(err.toString()).contains("corpus: " + cache.resolve("trace-broken.json") + " left out:");
        assertThat(dir.resolve("trace-replace-not-atomic-seed20210601.json")).exists();
        out.reset();

        assertThat(Main.run("fuzz", "--profile", "iommufd", "--tries", "20", "--corpus", cache.toString(), "--out",
                dir.toString(), "-q")).isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("corpus: 0 earlier failing trace(s) in " + cache
                + " replayed first (1 made under other bounds left out): none fails now");
    }

    @Test
    void aCorpusThatIsNotADirectoryIsBadInput() {
        assertThat(Main.run("fuzz", "--corpus", dir.resolve("missing").toString(), "--out", dir.toString()))
                .isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--corpus " + dir.resolve("missing") + ": not a directory");
    }
}
