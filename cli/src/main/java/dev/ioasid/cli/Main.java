package dev.ioasid.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ioasid-contract} command. Exit codes: 0 when everything holds, 1 when a violation was
 * found, 2 for bad usage or input.
 */
@Command(name = "ioasid-contract", mixinStandardHelpOptions = true, version = "ioasid-contract 0.1.0",
        description = "Model checker and property tests for the Linux IOASID / PASID contract.%n"
                + "Without a subcommand: check the reference implementation on the default bounds.",
        subcommands = {CheckCommand.class, FuzzCommand.class, ExploreCommand.class, ConformCommand.class, ReplayCommand.class, MutantsCommand.class,
                ValidateCommand.class, ToLogCommand.class, BoundsCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    public static final int HOLDS = 0;
    public static final int VIOLATION = 1;
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        // No subcommand: the default job, a property run against the reference implementation.
        String[] effective = args.length == 0 ? new String[] {"fuzz"} : args;
        return commandLine(new Main()).execute(effective);
    }

    /** A command line for a command object, with bad input reported in one line and exit code 2. */
    static CommandLine commandLine(Object command) {
        return new CommandLine(command).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof BadInputException) {
                cmd.getErr().println("ioasid-contract: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return BAD_INPUT;
    }
}
