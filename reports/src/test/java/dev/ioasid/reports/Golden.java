package dev.ioasid.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files in {@code src/test/resources/golden}. After an intended change, regenerate them with
 * {@code -Dioasid.regenerateGolden=true} and review the diff.
 */
final class Golden {
    private static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {
    }

    static void assertMatches(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("ioasid.regenerateGolden")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual);
        }
        assertThat(actual).as("rendering differs from %s (regenerate with -Dioasid.regenerateGolden=true)", file)
                .isEqualTo(Files.readString(file));
    }
}
