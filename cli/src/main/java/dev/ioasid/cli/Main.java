package dev.ioasid.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ioasid-contract} command. Each exit code means one thing: 0 everything checked holds,
 * 1 a contract violation (or a divergence of a log), 2 bad usage or input (an implementation process
 * that cannot start or breaks the protocol before its first answer included), 3 inconclusive (a
 * budget stopped the run before it covered everything; nothing was violated in what it covered),
 * 4 a violation whose trace could not be written to --out (it is on standard output), 130 interrupted.
 */
@Command(name = "ioasid-contract", mixinStandardHelpOptions = true, version = "ioasid-contract 0.1.0",
        description = "Model checker and property tests for the Linux IOASID / PASID contract.%n"
                + "Without a subcommand: fuzz, a property run against the reference implementation on the default bounds.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything checked holds", "1:a contract violation was found (or a log diverges)",
                "2:bad usage or input, or an implementation process that cannot start",
                "3:inconclusive: a budget stopped the run before it covered everything",
                "4:a violation was found but its trace could not be written (it is on standard output)",
                "130:interrupted"},
        subcommands = {CheckCommand.class, FuzzCommand.class, ExploreCommand.class, ConformCommand.class, ReplayCommand.class, MutantsCommand.class,
                ValidateCommand.class, ToLogCommand.class, BoundsCommand.class, MergeCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    public static final int HOLDS = 0;
    public static final int VIOLATION = 1;
    public static final int BAD_INPUT = 2;
    public static final int INCONCLUSIVE = 3;
    public static final int OUTPUT_LOST = 4;

    /** The worse of two exit codes: a violation outranks bad input, which outranks inconclusive, then holds. */
    static int worse(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        switch (code) {
            case HOLDS: return 0;
            case INCONCLUSIVE: return 1;
            case BAD_INPUT: return 2;
            case VIOLATION: return 3;
            default: return 4; // output lost, interrupted
        }
    }

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
