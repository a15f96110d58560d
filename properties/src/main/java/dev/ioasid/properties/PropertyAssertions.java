package dev.ioasid.properties;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.reports.TraceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Runs the property from a plain JUnit test: prints the run summary, and on failure writes the
 * shrunk trace file and fails with the rendered trace (which says how to replay it).
 */
public final class PropertyAssertions {
    /** Where failing traces go; the build's target folder by default. */
    public static final Path TRACE_DIR = Path.of(System.getProperty("ioasid.traceDir", "target/ioasid-traces"));

    private PropertyAssertions() {
    }

    public static PropertyResult.Passed assertContractHolds(PropertyConfig config, ImplementationFactory factory) {
        PropertyResult result = new PropertyEngine(config.withSystemOverrides(), factory).run();
        System.out.println(RunReport.summary(result));
        if (result instanceof PropertyResult.Falsified falsified) {
            Path file = TRACE_DIR.resolve(factory.name() + "-seed" + falsified.config().seed() + ".json");
            try {
                TraceFile.write(file, RunReport.trace(falsified));
            } catch (IOException e) {
                throw new UncheckedIOException("could not write trace " + file, e);
            }
            throw new AssertionError(RunReport.failureText(falsified, file));
        }
        return (PropertyResult.Passed) result;
    }
}
