package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceFormatException;
import java.nio.file.Path;

/** Reading what the user gave: a bounds file, or the defaults. */
final class Inputs {

    private Inputs() {
    }

    static Bounds bounds(Path file) throws BadInputException {
        if (file == null) {
            return Bounds.defaults();
        }
        try {
            return TraceFile.readBounds(file);
        } catch (TraceFormatException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
