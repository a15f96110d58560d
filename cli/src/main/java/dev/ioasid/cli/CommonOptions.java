package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options several commands share, as picocli mixins. */
final class CommonOptions {

    private CommonOptions() {
    }

    /** {@code --impl}: which implementation to check. */
    static final class Impl {
        @Option(names = "--impl", paramLabel = "NAME", defaultValue = "reference",
                description = "implementation: reference, model or mutant:NAME (default: ${DEFAULT-VALUE})")
        String name;

        ImplementationFactory factory() throws BadInputException {
            return Implementations.byName(name);
        }
    }

    /** {@code --bounds}: a bounds file, or the command's own default bounds. */
    static final class BoundsFile {
        @Option(names = "--bounds", paramLabel = "FILE",
                description = "bounds file (JSON, see the bounds command); default: the command's built-in bounds")
        Path file;

        Bounds orElse(Bounds defaults) throws BadInputException {
            return file == null ? defaults : Inputs.bounds(file);
        }
    }

    /** {@code --out}: where traces and reports are written. */
    static final class Out {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "ioasid-out",
                description = "where traces and reports are written (default: ${DEFAULT-VALUE})")
        Path dir;
    }
}
