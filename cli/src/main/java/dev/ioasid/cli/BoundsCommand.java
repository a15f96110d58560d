package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.reports.TraceFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a command's default bounds as a bounds file, to copy and edit. */
@Command(name = "bounds", mixinStandardHelpOptions = true,
        description = "Print default bounds as JSON (a --bounds file): fuzz's, or explore's and conform's with --for explore.")
final class BoundsCommand implements Callable<Integer> {
    @Option(names = "--for", paramLabel = "COMMAND", defaultValue = "fuzz",
            description = "whose defaults: fuzz (also check's property run) or explore (also conform) (default: ${DEFAULT-VALUE})")
    String command;

    @Option(names = "--profile", paramLabel = "NAME", description = "with this contract profile: ioasid-2021 or iommufd")
    String profile;

    @Override
    public Integer call() throws BadInputException {
        Bounds bounds;
        if (command.equals("fuzz")) {
            bounds = Bounds.defaults();
        } else if (command.equals("explore") || command.equals("conform")) {
            bounds = ExploreConfig.defaultBounds();
        } else {
            throw new BadInputException("--for: expected fuzz or explore, found '" + command + "'");
        }
        System.out.print(TraceFile.boundsJson(profile == null ? bounds : bounds.withProfile(Profiles.named(profile))));
        return Main.HOLDS;
    }
}
