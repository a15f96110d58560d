package dev.ioasid.reports;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rendered traces against golden files in {@code src/test/resources/golden}. After an intended
 * change, regenerate them with {@code -Dioasid.regenerateGolden=true} and review the diff.
 */
class TraceRendererTests {
    private static final List<String> REPLAY = List.of("java -jar cli/target/ioasid-contract.jar replay trace.json");

    @Test
    void text() throws IOException {
        Golden.assertMatches("replace-not-atomic.txt", TraceRenderer.text(SampleTraces.replaceNotAtomic(), REPLAY));
    }

    @Test
    void textWithTheRootCause() throws IOException {
        Golden.assertMatches("replace-not-atomic-cause.txt", TraceRenderer.text(SampleTraces.replaceNotAtomicWithCause(), REPLAY));
    }

    @Test
    void markdownWithTheRootCause() throws IOException {
        Golden.assertMatches("replace-not-atomic-cause.md", TraceRenderer.markdown(SampleTraces.replaceNotAtomicWithCause(), REPLAY));
    }

    @Test
    void traceFileWithTheRootCause() throws IOException {
        Golden.assertMatches("replace-not-atomic-cause.json", TraceFile.toJson(SampleTraces.replaceNotAtomicWithCause()));
    }

    @Test
    void markdown() throws IOException {
        Golden.assertMatches("replace-not-atomic.md", TraceRenderer.markdown(SampleTraces.replaceNotAtomic(), REPLAY));
    }

    @Test
    void traceFile() throws IOException {
        Golden.assertMatches("replace-not-atomic.json", TraceFile.toJson(SampleTraces.replaceNotAtomic()));
    }
}
