package dev.ioasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A campaign on N machines: fuzz --shard K/N on each, then merge of their run records. */
class MergeCommandTests extends CapturedOutput {
    @TempDir
    Path dir;

    @Test
    void shardsThatPassMergeIntoOnePass() {
        for (int k = 1; k <= 2; k++) {
            assertThat(Main.run("fuzz", "--shard", k + "/2", "--tries", "30", "--out", dir.resolve("s" + k).toString(), "-q"))
                    .isEqualTo(Main.HOLDS);
        }
        out.reset();

        assertThat(Main.run("merge", dir.toString())).isEqualTo(Main.HOLDS);
        assertThat(out.toString()).startsWith("property campaign against the model: PASSED")
                .contains("shards: 2 of 2, sequences: 60 (30 a shard)").contains("shard 2/2: passed, 30 sequences")
                .contains("health:");
    }

    /** The smallest failing trace is printed with its replay line, which replays it (run here). */
    @Test
    void aShardsFailureIsTheCampaignsAndItsReplayLineReplaysIt() throws Exception {
        for (int k = 1; k <= 2; k++) {
            Main.run("fuzz", "--impl", "mutant:replace-not-atomic", "--shard", k + "/2", "--out",
                    dir.resolve("s" + k).toString(), "-q");
        }
        assertThat(dir.resolve("s2/trace-replace-not-atomic-seed20210601-shard2of2.json")).exists();
        // CI artifacts land elsewhere than the machines wrote them: the trace is found beside its record.
        Path moved = Files.createDirectories(dir.resolve("artifacts"));
        for (int k = 1; k <= 2; k++) {
            for (Path file : Files.list(dir.resolve("s" + k)).toList()) {
                Files.move(file, moved.resolve(file.getFileName()));
            }
        }
        out.reset();

        assertThat(Main.run("merge", moved.toString())).isEqualTo(Main.VIOLATION);
        String printed = out.toString();
        assertThat(printed).contains("minimal trace (4 steps) against replace-not-atomic")
                .contains("property campaign against the model: FALSIFIED (2 of 2 shards found a failure)");
        String replay = printed.lines().filter(l -> l.startsWith("replay: java -jar ")).findFirst().orElseThrow()
                .substring("replay: java -jar ".length());
        String[] words = replay.split(" ");
        assertThat(words[1]).isEqualTo("replay");
        out.reset();
        assertThat(Main.run(java.util.Arrays.copyOfRange(words, 1, words.length))).isEqualTo(Main.VIOLATION);
    }

    @Test
    void aMissingShardIsInconclusiveAndAForeignRecordIsBadInput() {
        Main.run("fuzz", "--shard", "1/3", "--tries", "5", "--out", dir.resolve("s1").toString(), "-q");
        Main.run("fuzz", "--shard", "2/3", "--tries", "6", "--out", dir.resolve("s2").toString(), "-q");
        out.reset();

        assertThat(Main.run("merge", dir.resolve("s1").toString())).isEqualTo(Main.INCONCLUSIVE);
        assertThat(out.toString()).contains("INCOMPLETE (no record from shards 2, 3 of 3; nothing failed in the others)");
        assertThat(Main.run("merge", dir.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("not of the campaign of").contains("tries (5, 6) differ");
    }

    @Test
    void aBadShardIsBadInput() {
        assertThat(Main.run("fuzz", "--shard", "4/3", "--out", dir.toString(), "-q")).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--shard K/N needs 1 <= K <= N, was 4/3");
        assertThat(Main.run("fuzz", "--shard", "two", "--out", dir.toString(), "-q")).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--shard must be K/N (e.g. 2/8), was 'two'");
        assertThat(Main.run("fuzz", "--shard", "1/2", "--feedback", "--out", dir.toString(), "-q")).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--feedback does not combine with --shard 1/2");
    }
}
