package dev.ioasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad inputs as a new user gives them (src/test/resources/bad-input/cases.tsv): each must end with its
 * exit code and a message that says what was wrong and where, never a stack trace.
 */
class BadInputTests extends CapturedOutput {
    private static final Path CASES = Path.of("src/test/resources/bad-input");

    @TempDir
    Path dir;

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String line : Files.readAllLines(CASES.resolve("cases.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            assertThat(columns).as(line).hasSize(4);
            cases.add(Arguments.of(columns[0], columns[1], Integer.parseInt(columns[2]), columns[3]));
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithItsExitCodeAndAMessageThatSaysWhy(String name, String arguments, int exit, String fragment)
            throws IOException {
        Path aFile = Files.writeString(dir.resolve("a-file"), "x");
        List<String> args = new ArrayList<>();
        for (String word : arguments.split(" ")) {
            args.add(word.replace("~", " ").replace("$OUT", dir.resolve("out").toString()).replace("$AFILE", aFile.toString())
                    .replaceFirst("^@", CASES.toAbsolutePath() + "/"));
        }

        int code = Main.run(args.toArray(String[]::new));

        String printed = out + "\n" + err;
        assertThat(code).as("%s: exit code; printed:%n%s", name, printed).isEqualTo(exit);
        assertThat(printed).as(name).contains(fragment).doesNotContain("\tat dev.ioasid").doesNotContain("Exception in thread");
        assertThat(printed.length()).as("%s: the message stays short", name).isLessThan(20_000);
    }
}
