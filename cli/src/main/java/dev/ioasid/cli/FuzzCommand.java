package dev.ioasid.cli;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.properties.PropertyConfig;
import dev.ioasid.properties.PropertyEngine;
import dev.ioasid.properties.PropertyResult;
import dev.ioasid.properties.RunReport;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceRenderer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Random operation sequences against an implementation, checked against the model, shrunk on failure. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Run the stateful property engine against an implementation and print its summary.")
final class FuzzCommand implements Callable<Integer> {
    @Mixin
    CommonOptions.BoundsFile bounds;

    @Mixin
    CommonOptions.Impl impl;

    @Option(names = "--seed", defaultValue = "" + PropertyConfig.DEFAULT_SEED, description = "master seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tries", defaultValue = "2000", description = "sequences to run (default: ${DEFAULT-VALUE})")
    int tries;

    @Option(names = "--length", defaultValue = "150", description = "operations per sequence (default: ${DEFAULT-VALUE})")
    int length;

    @Mixin
    CommonOptions.Out out;

    /** The last verdict in a few words, for the check command's summary. */
    String verdict = "not run";

    @Override
    public Integer call() throws BadInputException, java.io.IOException {
        if (tries < 1 || length < 1) {
            throw new BadInputException("--tries and --length must be at least 1");
        }
        return Implementations.using(impl.factory(), this::run);
    }

    private Integer run(ImplementationFactory factory) throws BadInputException, java.io.IOException {
        PropertyConfig config = new PropertyConfig(bounds.orElse(dev.ioasid.contract.Bounds.defaults()), tries, length,
                seed, 50_000);
        PropertyResult result = new PropertyEngine(config, factory).run();
        System.out.print(RunReport.summary(result));
        verdict = (result instanceof PropertyResult.Passed ? "PASSED" : "FALSIFIED")
                + String.format(" (%,d sequences, %,d steps)", result.coverage().sequences(), result.coverage().steps());
        if (result instanceof PropertyResult.Falsified falsified) {
            Path traceFile = out.dir.resolve("trace-" + factory.name() + "-seed" + seed + ".json");
            var trace = RunReport.trace(falsified);
            TraceFile.write(traceFile, trace);
            TraceFile.writeWhole(out.dir.resolve("trace-" + factory.name() + "-seed" + seed + ".md"),
                    TraceRenderer.markdown(trace, RunReport.replayHints(falsified, traceFile, impl.replayArguments())));
            System.out.println();
            System.out.print(RunReport.failureText(falsified, traceFile, impl.replayArguments()));
            return Main.VIOLATION;
        }
        return Main.HOLDS;
    }
}
