package dev.ioasid.cli;

import dev.ioasid.reports.TraceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where results are written. The directory is checked before any work starts, so that a long run
 * never ends in a result it cannot keep; if writing still fails at the end (a full disk), the result
 * goes to standard output whole, and the command says so and exits {@link Main#OUTPUT_LOST}.
 */
final class Outputs {

    private Outputs() {
    }

    /** Makes the directory if needed and proves a file can be written in it. */
    static Path ready(Path dir) throws BadInputException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("--out " + dir + ": exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".ioasid-probe", ".tmp");
            Files.delete(probe);
            return dir;
        } catch (IOException | SecurityException e) {
            throw new BadInputException("--out " + dir + ": cannot write there (" + e + ")");
        }
    }

    /**
     * Writes the files whole, or, if that fails, prints the first (the trace) on standard output and
     * says so on standard error. Returns whether they were written.
     */
    static boolean writeOrPrint(Path file, String text, Path companion, String companionText) {
        try {
            TraceFile.writeWhole(file, text);
            if (companion != null) {
                TraceFile.writeWhole(companion, companionText);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            System.err.println("ioasid-contract: cannot write " + file + " (" + e + "); the trace follows on standard output");
            System.out.println(text);
            return false;
        }
    }
}
