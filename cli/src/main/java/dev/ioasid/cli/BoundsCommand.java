package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.reports.TraceFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints the default bounds as a bounds file, to copy and edit. */
@Command(name = "bounds", mixinStandardHelpOptions = true, description = "Print the default bounds as JSON (a --bounds file).")
final class BoundsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(TraceFile.boundsJson(Bounds.defaults()));
        return Main.HOLDS;
    }
}
