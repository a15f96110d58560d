package dev.ioasid.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rendered traces against golden files in {@code src/test/resources/golden}. After an intended
 * change, regenerate them with {@code -Dioasid.regenerateGolden=true} and review the diff.
 */
class TraceRendererTests {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final List<String> REPLAY = List.of("java -jar cli/target/ioasid-contract.jar replay trace.json");

    @Test
    void text() throws IOException {
        assertMatchesGolden("replace-not-atomic.txt", TraceRenderer.text(SampleTraces.replaceNotAtomic(), REPLAY));
    }

    @Test
    void textWithTheRootCause() throws IOException {
        assertMatchesGolden("replace-not-atomic-cause.txt", TraceRenderer.text(SampleTraces.replaceNotAtomicWithCause(), REPLAY));
    }

    @Test
    void markdownWithTheRootCause() throws IOException {
        assertMatchesGolden("replace-not-atomic-cause.md", TraceRenderer.markdown(SampleTraces.replaceNotAtomicWithCause(), REPLAY));
    }

    @Test
    void traceFileWithTheRootCause() throws IOException {
        assertMatchesGolden("replace-not-atomic-cause.json", TraceFile.toJson(SampleTraces.replaceNotAtomicWithCause()));
    }

    @Test
    void markdown() throws IOException {
        assertMatchesGolden("replace-not-atomic.md", TraceRenderer.markdown(SampleTraces.replaceNotAtomic(), REPLAY));
    }

    @Test
    void traceFile() throws IOException {
        assertMatchesGolden("replace-not-atomic.json", TraceFile.toJson(SampleTraces.replaceNotAtomic()));
    }

    private static void assertMatchesGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("ioasid.regenerateGolden")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual);
        }
        assertThat(actual).as("rendering differs from %s (regenerate with -Dioasid.regenerateGolden=true)", file)
                .isEqualTo(Files.readString(file));
    }
}
