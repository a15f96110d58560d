package dev.ioasid.cli;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.properties.concurrent.ParallelConfig;
import dev.ioasid.properties.concurrent.ParallelEngine;
import dev.ioasid.reports.TraceRenderer;
import dev.ioasid.reports.html.ReportPage;
import java.util.List;

/**
 * {@code fuzz --parallel}: concurrent histories against one implementation instance, each checked
 * for linearizability against the model; what it prints and what its report shows.
 */
final class ParallelFuzz {

    private ParallelFuzz() {
    }

    /** Runs, prints, writes the report; returns the exit code. */
    static int run(ParallelConfig config, ImplementationFactory factory, String runCommand, java.nio.file.Path out,
                   String reportName) {
        ParallelEngine.Outcome outcome = new ParallelEngine(config, factory).run();
        String shape = config.describeShape();
        ReportPage.Builder page;
        if (outcome instanceof ParallelEngine.Failed failed) {
            String firstLine = failed.why().lines().findFirst().orElse("");
            System.out.println("NOT LINEARIZABLE: " + firstLine);
            System.out.println("smallest failing history (" + failed.shrunk().size() + " calls), schedule seed "
                    + failed.shrunk().scheduleSeed() + ":");
            String drawn = failed.history().drawn();
            System.out.print(drawn);
            System.out.print(failed.why().lines().skip(1).map(l -> l + "\n").reduce("", String::concat));
            System.out.printf("found at history %d of the run in %.2f s; shrunk in %d runs%s%n", failed.tryIndex() + 1,
                    failed.seconds(), failed.shrinkRuns(), failed.shrinkingCut()
                            ? " (stopped at the --shrink-time limit: a smaller history may fail too)" : "");
            String replay = replayLine(runCommand, failed.tryIndex() + 1);
            System.out.println(config.controlled() ? "replay: " + replay
                    : "run again (free-running threads interleave as the machine decides: it may not fail the same way): "
                    + replay);
            page = ReportPage.of("fuzz", "Parallel run of " + factory.name() + " against the model",
                            ReportPage.Verdict.fail("NOT LINEARIZABLE", firstLine))
                    .replay(List.of(replay))
                    .block("Smallest failing history (" + failed.shrunk().size() + " calls, schedule seed "
                            + failed.shrunk().scheduleSeed() + ")", drawn)
                    .block("Why no order is legal", failed.why());
        } else {
            System.out.println("parallel property run against the model: PASSED (every history linearizable)");
            page = ReportPage.of("fuzz", "Parallel run of " + factory.name() + " against the model",
                            ReportPage.Verdict.pass("LINEARIZABLE", "every history has an order of its calls the model accepts"))
                    .replay(List.of(runCommand));
        }
        String facts = String.format("  implementation: %s%n  bounds: %s%n  seed: %d, histories: %,d of %,d (%s)%n"
                        + "  time: %.2f s, %,.0f histories/s%n", factory.name(), TraceRenderer.describe(config.bounds()),
                config.seed(), outcome.histories(), config.tries(), shape, outcome.seconds(),
                outcome.seconds() > 0 ? outcome.histories() / outcome.seconds() : 0);
        System.out.print(facts);
        page.fact("implementation", factory.name()).fact("bounds", TraceRenderer.describe(config.bounds()))
                .fact("seed", config.seed()).fact("histories", String.format("%,d of %,d", outcome.histories(), config.tries()))
                .fact("shape", shape).fact("time", String.format("%.2f s", outcome.seconds()));
        if (!config.controlled()) {
            page.fact("run again", "free-running threads decide the interleaving: the command under How to replay runs "
                    + "the same histories again, which may not fail the same way twice");
        }
        HtmlPages.write(out, reportName, page.build());
        return outcome instanceof ParallelEngine.Failed ? Main.VIOLATION : Main.HOLDS;
    }

    /** The run's command with as many tries as it took to find the failure: it finds and shrinks it again. */
    private static String replayLine(String runCommand, int tries) {
        return runCommand.replaceFirst(" --tries \\d+", " --tries " + tries);
    }
}
