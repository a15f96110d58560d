package dev.ioasid.tck;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.explorer.Conformance;
import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.properties.PropertyAssertions;
import dev.ioasid.properties.PropertyConfig;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The two engine checks of the kit, shared by {@link IoasidTck} and {@link ServiceLoaderTck}. */
final class Checks {

    private Checks() {
    }

    static void propertyRun(ImplementationFactory factory, PropertyConfig config) {
        PropertyAssertions.assertContractHolds(config, factory);
    }

    static void conformance(ImplementationFactory factory, ExploreConfig config) {
        Conformance.Verdict verdict = Conformance.check(config, factory);
        System.out.printf("conformance of %s: %,d states, %,d transitions checked, %.1f s%n", factory.name(),
                verdict.states(), verdict.transitions(), verdict.seconds());
        if (verdict instanceof Conformance.Mismatch mismatch) {
            Path file = PropertyAssertions.TRACE_DIR.resolve("conform-" + factory.name() + ".json");
            try {
                TraceFile.write(file, mismatch.trace());
            } catch (IOException e) {
                throw new UncheckedIOException("could not write trace " + file, e);
            }
            throw new AssertionError(TraceRenderer.text(mismatch.trace(),
                    List.of("java -jar cli/target/ioasid-contract.jar replay " + file.toAbsolutePath())));
        }
    }
}
