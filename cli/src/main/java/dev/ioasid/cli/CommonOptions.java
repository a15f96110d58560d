package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options several commands share, as picocli mixins. */
final class CommonOptions {

    private CommonOptions() {
    }

    /** {@code --impl} or {@code --impl-cmd}: which implementation to check. */
    static final class Impl {
        @Option(names = "--impl", paramLabel = "NAME", defaultValue = "reference",
                description = "implementation: reference, model or mutant:NAME (default: ${DEFAULT-VALUE})")
        String name;

        @Option(names = "--impl-cmd", paramLabel = "COMMAND",
                description = "an implementation in another process speaking PROTOCOL.md, started with sh -c COMMAND")
        String command;

        @Option(names = "--impl-timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "how long --impl-cmd may take to answer one request (default: ${DEFAULT-VALUE})")
        double timeoutSeconds;

        ImplementationFactory factory() throws BadInputException {
            return Implementations.factory(name, command, timeoutSeconds);
        }

        /** The options again, for a command that runs others (check). */
        java.util.List<String> asArguments() {
            return command == null ? java.util.List.of("--impl", name)
                    : java.util.List.of("--impl-cmd", command, "--impl-timeout", String.valueOf(timeoutSeconds));
        }

        /** What the replay command needs besides the trace file to reach this implementation again. */
        String replayArguments() {
            return command == null ? "" : " --impl-cmd '" + command.replace("'", "'\\''") + "'";
        }

        String describe() {
            return command == null ? name : command;
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
