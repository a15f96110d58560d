package dev.ioasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate and to-log end to end: the kernel scenario suite, divergences, bad logs, replay lines. */
class ValidateCommandTests extends CapturedOutput {
    private static final Path KERNEL = Path.of("..", "scenarios", "kernel");

    @TempDir
    Path dir;


    private static List<Path> kernelLogs() throws Exception {
        try (Stream<Path> files = Files.list(KERNEL)) {
            return files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    @Test
    void everyKernelScenarioAgreesWithTheModelUnderIommufd() throws Exception {
        List<Path> logs = kernelLogs();
        assertThat(logs).hasSizeGreaterThanOrEqualTo(40);
        for (Path log : logs) {
            String header = Files.readAllLines(log).get(0);
            assertThat(header).as(log.toString()).contains("tools/testing/selftests/iommu/iommufd.c").contains("TEST_F")
                    .contains("\"profile\":\"iommufd\"");
        }

        assertThat(Main.run("validate", "--out", dir.toString(), KERNEL.toString())).as(out.toString()).isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("AGREES: all " + logs.size() + " logs agree with the model");
    }

    @Test
    void aFlippedErrnoFailsNamingTheRuleAndEveryDivergenceIsReported() throws Exception {
        Path source = kernelLogs().stream().filter(p -> p.getFileName().toString().equals("iommufd_ioas_ioas_destroy_mock_domain.jsonl"))
                .findFirst().orElseThrow();
        List<String> lines = new ArrayList<>(Files.readAllLines(source));
        int flipped = 0;
        for (int i = 1; i < lines.size() && flipped < 2; i++) {
            if (lines.get(i).contains("\"errno\":\"EBUSY\"")) {
                lines.set(i, lines.get(i).replace("\"errno\":\"EBUSY\"", "\"errno\":\"ENOENT\""));
                flipped++;
            }
        }
        assertThat(flipped).as("the scenario destroys a busy object").isPositive();
        Path log = dir.resolve("flipped.jsonl");
        Files.write(log, lines);

        assertThat(Main.run("validate", "--out", dir.toString(), log.toString())).isEqualTo(Main.VIOLATION);
        String text = out.toString();
        assertThat(text).contains("DIVERGES: " + log).contains("returned ENOENT, expected EBUSY by OBJ-3")
                .contains("followed: an error changes nothing");
        assertThat(text.split("returned ENOENT, expected EBUSY", -1)).hasSize(flipped + 1);
    }

    @Test
    void thePrintedReplayLineRunsAndGivesTheSameVerdict() throws Exception {
        Path log = dir.resolve("two-profiles.jsonl");
        Files.writeString(log, String.join("\n",
                "{\"format\":\"ioasid-contract-log/1\",\"name\":\"set call\",\"bounds\":" + BOUNDS + "}",
                "{\"op\":{\"op\":\"createSet\",\"vm\":1,\"quota\":1},\"observed\":{\"result\":\"failed\",\"errno\":\"ENOTTY\"}}",
                ""));
        assertThat(Main.run("validate", "--out", dir.toString(), log.toString())).isEqualTo(Main.HOLDS);
        assertThat(Main.run("validate", "--out", dir.toString(), log.toString(), "--profile", "ioasid-2021")).isEqualTo(Main.VIOLATION);
        String replay = out.toString().lines().filter(l -> l.trim().startsWith("replay: ")).findFirst().orElseThrow();
        String[] words = replay.trim().substring("replay: java -jar cli/target/ioasid-contract.jar ".length()).split(" ");
        out.reset();
        assertThat(Main.run(words)).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("expected ok by SET-1");
    }

    private static final String BOUNDS = "{\"capacity\":1,\"pasidMax\":8,\"vms\":1,\"devices\":[{\"id\":1,\"vm\":1,\"pasids\":8,"
            + "\"pri\":true,\"driver\":\"vfio-pci\"}],\"iovaPages\":8,\"hostPages\":8,\"maxObjects\":8,\"mms\":0,\"mmPages\":1,"
            + "\"groups\":2,\"profile\":\"iommufd\"}";

    /**
     * The selftest's mock driver lets the guest own the PASID table: its fault trigger's PASID goes to
     * the RID's nested HWPT (PRQ-8). Without the property the request finds no handler and is answered
     * at once, so the same log diverges where user space reads the group the kernel delivered.
     */
    @Test
    void theMockDriversGuestOwnedPasidTableIsWhatMakesTheNestedFaultScenarioAgree() throws Exception {
        Path source = KERNEL.resolve("iommufd_viommu_viommu_alloc_nested_iopf_mock_viommu.jsonl");
        assertThat(Main.run("validate", "--out", dir.toString(), source.toString())).isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("PRQ-8");

        Path without = dir.resolve("without-user-pasid-table.jsonl");
        Files.writeString(without, Files.readString(source).replace(",\"userPasidTable\":true", ""));
        out.reset();
        assertThat(Main.run("validate", "--out", dir.toString(), without.toString())).isEqualTo(Main.VIOLATION);
        String first = out.toString().lines().filter(l -> l.trim().startsWith("step ")).findFirst().orElseThrow();
        assertThat(first).contains("readFaults(").contains("expected ok(groups=[])");
    }

    /**
     * Hardware that cannot tell stage 1 from stage 2 (SMMUv3 stalls) hands a stage-2 fault of a nested
     * table to its queue: a divergence under the contract's design, the expected behaviour under
     * route-by-attachment, which --design names.
     */
    @Test
    void aLogOfHardwareThatRoutesByAttachmentAgreesUnderThatDesign() throws Exception {
        Path log = dir.resolve("stage2-to-user.jsonl");
        Files.writeString(log, String.join("\n",
                "{\"format\":\"ioasid-contract-log/1\",\"name\":\"stage 2 to user space\",\"bounds\":" + BOUNDS + "}",
                step("{\"op\":\"allocIoas\",\"vm\":1}", "{\"result\":\"allocated\",\"id\":1}"),
                step("{\"op\":\"allocHwptPaging\",\"vm\":1,\"ioas\":1,\"nestParent\":true,\"allocPasid\":false,\"fault\":0}",
                        "{\"result\":\"allocated\",\"id\":2}"),
                step("{\"op\":\"allocFaultQueue\",\"vm\":1}", "{\"result\":\"allocated\",\"id\":3}"),
                step("{\"op\":\"allocHwptNested\",\"vm\":1,\"parent\":2,\"allocPasid\":false,\"fault\":3}",
                        "{\"result\":\"allocated\",\"id\":4}"),
                step("{\"op\":\"attach\",\"device\":1,\"pasid\":0,\"table\":4}", "{\"result\":\"allocated\",\"id\":4}"),
                step("{\"op\":\"writeStage1\",\"vm\":1,\"hwpt\":4,\"iova\":0,\"gpa\":0,\"access\":\"READ\"}", "{\"result\":\"done\"}"),
                step("{\"op\":\"pageRequest\",\"device\":1,\"pasid\":0,\"iova\":0,\"access\":\"READ\",\"group\":0,\"last\":true}",
                        "{\"result\":\"done\"}"),
                step("{\"op\":\"readFaults\",\"vm\":1,\"queue\":3}", "{\"result\":\"faultGroups\",\"groups\":[{\"device\":1,"
                        + "\"pasid\":0,\"group\":0,\"requests\":[{\"iova\":0,\"access\":\"READ\"}],\"cookie\":1}]}"),
                ""));
        assertThat(Main.run("validate", "--out", dir.toString(), log.toString())).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("readFaults(");
        out.reset();
        assertThat(Main.run("validate", "--out", dir.toString(), log.toString(), "--design", "route-by-attachment")).as(out.toString())
                .isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("design route-by-attachment");
    }

    private static String step(String op, String observed) {
        return "{\"op\":" + op + ",\"observed\":" + observed + "}";
    }

    @Test
    void aTraceBecomesALogThatValidatesToTheSameFailure() throws Exception {
        assertThat(Main.run("fuzz", "--impl", "mutant:destroy-ignores-references", "--out", dir.toString()))
                .isEqualTo(Main.VIOLATION);
        Path trace;
        try (Stream<Path> files = Files.list(dir)) {
            trace = files.filter(f -> f.getFileName().toString().startsWith("trace-") && f.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Path log = dir.resolve("from-trace.jsonl");
        assertThat(Main.run("to-log", trace.toString(), "--out", log.toString())).isEqualTo(Main.HOLDS);
        out.reset();

        assertThat(Main.run("validate", "--out", dir.toString(), log.toString())).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("by OBJ-3");
    }

    @Test
    void aBadLogIsBadInputNamingTheLineAndTheField() throws Exception {
        Path unknown = dir.resolve("unknown-field.jsonl");
        Files.writeString(unknown, "{\"format\":\"ioasid-contract-log/1\",\"bounds\":" + BOUNDS + "}\n"
                + "{\"op\":{\"op\":\"allocIoas\",\"vm\":1},\"observed\":{\"result\":\"allocated\",\"id\":1},\"obsrved\":1}\n");
        assertThat(Main.run("validate", "--out", dir.toString(), unknown.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains(unknown + ":2: unknown field \"obsrved\"");

        Path broken = dir.resolve("broken.jsonl");
        Files.writeString(broken, "{\"format\":\"ioasid-contract-log/1\",\"bounds\":" + BOUNDS + "}\n{\"op\": }\n");
        assertThat(Main.run("validate", "--out", dir.toString(), broken.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains(broken + ":2: not valid JSON");

        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "\n");
        assertThat(Main.run("validate", "--out", dir.toString(), empty.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains(empty + ": empty");

        Path wrongType = dir.resolve("wrong-type.jsonl");
        Files.writeString(wrongType, "{\"format\":\"ioasid-contract-log/1\",\"bounds\":" + BOUNDS + "}\n"
                + "{\"op\":{\"op\":\"allocIoas\",\"vm\":\"one\"},\"observed\":{\"result\":\"done\"}}\n");
        assertThat(Main.run("validate", "--out", dir.toString(), wrongType.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains(wrongType + ":2: op.vm: expected a whole number");

        assertThat(Main.run("validate", "--out", dir.toString(), dir.resolve("missing.jsonl").toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(Main.run("validate", "--out", dir.toString(), unknown.toString(), "--profile", "linux-7")).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("unknown profile 'linux-7'");
    }
}
