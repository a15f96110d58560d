package dev.ioasid.tck;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.explorer.Conformance;
import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.properties.PropertyAssertions;
import dev.ioasid.properties.PropertyConfig;
import dev.ioasid.properties.concurrent.ParallelConfig;
import dev.ioasid.properties.concurrent.ParallelEngine;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The engine checks of the kit, shared by {@link IoasidTck} and {@link ServiceLoaderTck}. */
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

    /**
     * Concurrent histories on one instance, under the controlled scheduler, each checked for
     * linearizability (CONC-1); a failure is shrunk and shown as lanes with why no order is legal. The
     * scheduler's seed is fixed by the config, so running the test again replays it.
     */
    static void linearizability(ImplementationFactory factory, ParallelConfig config) {
        ParallelEngine.Outcome outcome = new ParallelEngine(config, factory).run();
        System.out.printf("parallel run of %s: %,d histories, %.1f s%n", factory.name(), outcome.histories(), outcome.seconds());
        if (outcome instanceof ParallelEngine.Failed failed) {
            StringBuilder message = new StringBuilder("NOT LINEARIZABLE: ").append(factory.name()).append(", history ")
                    .append(failed.tryIndex() + 1).append(" of seed ").append(config.seed()).append(", shrunk to ")
                    .append(failed.shrunk().size()).append(" calls:\n");
            message.append(failed.history().drawn()).append(failed.why())
                    .append("replay: run this test again (the controlled scheduler's seed is fixed), or java -cp "
                            + "cli/target/ioasid-contract.jar:YOUR.jar dev.ioasid.cli.Main fuzz --parallel --impl ")
                    .append(factory.name()).append(" --seed ").append(config.seed()).append(" --tries ")
                    .append(failed.tryIndex() + 1).append(" --prefix ").append(config.prefix()).append(" --threads ")
                    .append(config.threads()).append(" --calls ").append(config.calls()).append('\n');
            throw new AssertionError(message.toString());
        }
    }
}
