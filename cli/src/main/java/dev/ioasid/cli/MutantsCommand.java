package dev.ioasid.cli;

import dev.ioasid.mutants.Mutant;
import dev.ioasid.mutants.Mutants;
import dev.ioasid.properties.PropertyConfig;
import dev.ioasid.properties.PropertyEngine;
import dev.ioasid.properties.PropertyResult;
import dev.ioasid.reports.TraceFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the property engine against every planted bug and prints the kill table. */
@Command(name = "mutants", mixinStandardHelpOptions = true,
        description = "Check that every planted bug is caught and shrunk to its shortest trace; print the table.")
final class MutantsCommand implements Callable<Integer> {
    @Option(names = "--tries", defaultValue = "20000", description = "sequences per mutant at most (default: ${DEFAULT-VALUE})")
    int tries;

    @Option(names = "--seed", defaultValue = "" + PropertyConfig.DEFAULT_SEED, description = "master seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    CommonOptions.Out out;

    @Override
    public Integer call() throws java.io.IOException {
        StringBuilder table = new StringBuilder("| mutant | mistake | rule | caught | sequences | shrunk / shortest | find s | shrink s |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        boolean allKilled = true;
        for (Mutant mutant : Mutants.ALL) {
            PropertyConfig config = PropertyConfig.defaults().withTries(tries).withSeed(seed);
            PropertyResult result = new PropertyEngine(config, mutant).run();
            String row;
            if (result instanceof PropertyResult.Falsified f) {
                int shrunk = f.shrunk().ops().size();
                allKilled &= shrunk <= mutant.shortestTrace();
                row = String.format("| %s | %s | %s | yes | %d | %d / %d | %.3f | %.3f |", mutant.name(), mutant.mistake(),
                        mutant.rule(), f.sequence() + 1, shrunk, mutant.shortestTrace(), f.secondsToFind(), f.secondsToShrink());
            } else {
                allKilled = false;
                row = String.format("| %s | %s | %s | **no** | %d | - / %d | - | - |", mutant.name(), mutant.mistake(),
                        mutant.rule(), tries, mutant.shortestTrace());
            }
            System.out.println(row);
            table.append(row).append('\n');
        }
        TraceFile.writeWhole(out.dir.resolve("mutants.md"), "# Planted bugs: kill table (fuzz, seed " + seed + ")\n\n" + table);
        System.out.println(allKilled ? "every mutant caught and shrunk to its shortest trace"
                : "NOT EVERY MUTANT WAS CAUGHT AND SHRUNK TO ITS SHORTEST TRACE");
        return allKilled ? Main.HOLDS : Main.VIOLATION;
    }
}
