package dev.ioasid.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioasid.reference.ReferenceImplementation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded runs are disjoint parts of one run: merged, they count exactly what the unsharded run counts. */
class CampaignTests {
    @TempDir
    Path dir;

    private static RunRecord shard(PropertyConfig config, int k, int n) {
        PropertyResult result = new PropertyEngine(config, ReferenceImplementation.FACTORY).sharded(k, n).run();
        return RunRecord.of(result, k, n, null);
    }

    @Test
    void threeShardsMergeIntoTheUnshardedRun() throws Exception {
        PropertyConfig config = PropertyConfig.defaults().withTries(60);
        RunRecord whole = RunRecord.of(new PropertyEngine(config.withTries(180), ReferenceImplementation.FACTORY).run(), 1, 1, null);
        List<RunRecord> shards = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            RunRecord written = shard(config, k, 3);
            Path file = Files.writeString(dir.resolve("run-" + k + ".json"), written.toJson());
            shards.add(RunRecord.read(file));
            assertThat(shards.get(k - 1)).isEqualTo(written);
        }

        Campaign.Merged merged = Campaign.merge(shards, List.of("a", "b", "c"));
        RunRecord asOne = RunRecord.of(new PropertyResult.Passed(config.withTries(180), merged.coverage(), "reference", 0),
                1, 1, null);

        assertThat(merged.passed()).isTrue();
        assertThat(asOne.sequences()).isEqualTo(180);
        assertThat(asOne.steps()).isEqualTo(whole.steps());
        assertThat(asOne.outcomes()).isEqualTo(whole.outcomes());
        assertThat(asOne.ruleSequences()).isEqualTo(whole.ruleSequences());
        assertThat(asOne.situationSequences()).isEqualTo(whole.situationSequences());
        assertThat(asOne.okSequences()).isEqualTo(whole.okSequences());
        assertThat(asOne.staleAccepted()).isEqualTo(whole.staleAccepted());
        assertThat(Campaign.summary(merged)).startsWith("property campaign against the model: PASSED")
                .contains("shards: 3 of 3, sequences: 180 (60 a shard)");
    }

    @Test
    void aMissingShardLeavesTheCampaignIncompleteNotPassed() {
        PropertyConfig config = PropertyConfig.defaults().withTries(5);
        Campaign.Merged merged = Campaign.merge(List.of(shard(config, 1, 3), shard(config, 3, 3)), List.of("a", "c"));

        assertThat(merged.passed()).isFalse();
        assertThat(merged.missing()).containsExactly(2);
        assertThat(Campaign.summary(merged)).startsWith(
                "property campaign against the model: INCOMPLETE (no record from shard 2 of 3; nothing failed in the others)");
    }

    @Test
    void recordsOfAnotherCampaignOrTheSameShardTwiceAreRefused() {
        PropertyConfig config = PropertyConfig.defaults().withTries(5);
        RunRecord one = shard(config, 1, 2);

        assertThatThrownBy(() -> Campaign.merge(List.of(one, shard(config.withSeed(7), 2, 2)), List.of("a.json", "b.json")))
                .hasMessage("b.json: not of the campaign of a.json: seed (20210601, 7) differ");
        assertThatThrownBy(() -> Campaign.merge(List.of(one, one), List.of("a.json", "b.json")))
                .hasMessage("b.json: shard 1/2 again (also a.json)");
    }

    /** A shard says how many of its own sequences it ran, and which sequence of the unsharded run failed. */
    @Test
    void aShardsFailureIsCountedInItsOwnSequences() {
        PropertyConfig config = new PropertyConfig(dev.ioasid.contract.Bounds.defaults(), 200, 150, 3, 0);
        var mutant = dev.ioasid.mutants.Mutants.byName("iotlb-kept-after-unmap").orElseThrow();
        PropertyResult.Falsified whole = (PropertyResult.Falsified) new PropertyEngine(config, mutant).run();
        int k = whole.sequence() % 4 + 1;
        PropertyResult.Falsified shard = (PropertyResult.Falsified) new PropertyEngine(config, mutant).sharded(k, 4).run();

        assertThat(shard.sequence()).isEqualTo(whole.sequence());
        assertThat(RunReport.foundAfter(shard)).isEqualTo(whole.sequence() == 0 ? "found after 1 sequences"
                : "found after " + (whole.sequence() / 4 + 1) + " sequences of this shard (sequence "
                + whole.sequence() + " of the unsharded run)");
        assertThat(RunReport.foundAfter(whole)).isEqualTo("found after " + (whole.sequence() + 1) + " sequences");
    }

    /** A run with coverage feedback draws other sequences from the same seed: it is of another campaign. */
    @Test
    void aRunWithFeedbackIsRecordedSoAndNotMergedWithAPlainOne() throws Exception {
        PropertyConfig config = PropertyConfig.defaults().withTries(5);
        RunRecord plain = RunRecord.of(new PropertyEngine(config, ReferenceImplementation.FACTORY).run(), 1, 1, null);
        RunRecord fed = RunRecord.of(new PropertyEngine(config, ReferenceImplementation.FACTORY).withFeedback().run(), 1, 1, true, null);
        Path file = Files.writeString(dir.resolve("run-fed.json"), fed.toJson());

        assertThat(RunRecord.read(file).feedback()).isTrue();
        assertThat(plain.toJson()).doesNotContain("feedback");
        assertThatThrownBy(() -> Campaign.merge(List.of(plain, RunRecord.read(file)), List.of("a.json", "b.json")))
                .hasMessage("b.json: not of the campaign of a.json: coverage feedback (off, on) differ");
    }

    @Test
    void aBrokenRecordNamesTheFileAndTheField() throws Exception {
        String json = shard(PropertyConfig.defaults().withTries(2), 1, 1).toJson().replace("\"steps\" : ", "\"steps\" : -0.5, \"x\" : ");
        Path file = Files.writeString(dir.resolve("run-bad.json"), json);

        assertThatThrownBy(() -> RunRecord.read(file)).hasMessageStartingWith(file + ": unknown field \"x\"");
        Path notJson = Files.writeString(dir.resolve("run-not.json"), "[1]");
        assertThatThrownBy(() -> RunRecord.read(notJson)).hasMessageStartingWith(notJson + ": expected a run record");
    }
}
