package dev.ioasid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Everything on the defaults, one summary: exploration of the contract's design, conformance of the
 * implementation, and a property run against it.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Explore the model, check conformance of an implementation, run the property engine; one summary.")
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--impl", paramLabel = "NAME", defaultValue = "reference",
            description = "implementation: reference, model or mutant:NAME (default: ${DEFAULT-VALUE})")
    String impl;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "ioasid-out",
            description = "where traces are written (default: ${DEFAULT-VALUE})")
    String out;

    @Override
    public Integer call() {
        ExploreCommand explore = new ExploreCommand();
        ConformCommand conform = new ConformCommand();
        FuzzCommand fuzz = new FuzzCommand();
        int worst = Math.max(run(explore, "--max-states", "300000", "--out", out),
                Math.max(run(conform, "--impl", impl, "--out", out), run(fuzz, "--impl", impl, "--out", out)));
        System.out.println();
        System.out.println("summary:");
        System.out.println("  explore (page-table-owner): " + explore.verdict);
        System.out.println("  conform (" + impl + "): " + conform.verdict);
        System.out.println("  fuzz (" + impl + "): " + fuzz.verdict);
        return worst;
    }

    private static int run(Object command, String... args) {
        CommandLine line = Main.commandLine(command);
        System.out.println("== " + line.getCommandName() + " " + String.join(" ", args));
        return line.execute(args);
    }
}
