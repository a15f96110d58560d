package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options several commands share, as picocli mixins. */
final class CommonOptions {

    private CommonOptions() {
    }

    /** {@code --impl-cmd} and its timeout: an implementation in another process. */
    static final class ImplCommand {
        @Option(names = "--impl-cmd", paramLabel = "COMMAND",
                description = "an implementation in another process speaking PROTOCOL.md, started with sh -c COMMAND")
        String command;

        @Option(names = "--impl-timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "how long --impl-cmd may take to answer one request (default: ${DEFAULT-VALUE})")
        double timeoutSeconds;

        /** The implementation: this command if one was given, else the one named. */
        ImplementationFactory factoryOr(String name) throws BadInputException {
            return Implementations.factory(name, command, timeoutSeconds);
        }
    }

    /** {@code --impl} or {@code --impl-cmd}: which implementation to check. */
    static final class Impl {
        @Option(names = "--impl", paramLabel = "NAME",
                description = "implementation: reference, model, mutant:NAME or a ServiceLoader-registered name "
                        + "(default: reference)")
        String name;

        @Mixin
        ImplCommand process;

        ImplementationFactory factory() throws BadInputException {
            if (name != null && process.command != null) {
                throw new BadInputException("--impl and --impl-cmd name two implementations: give one");
            }
            return process.factoryOr(name == null ? "reference" : name);
        }

        boolean inAnotherProcess() {
            return process.command != null;
        }

        /** The options again, for a command that runs others (check). */
        java.util.List<String> asArguments() {
            return process.command == null ? java.util.List.of("--impl", name == null ? "reference" : name)
                    : java.util.List.of("--impl-cmd", process.command, "--impl-timeout", String.valueOf(process.timeoutSeconds));
        }

        String describe() {
            return process.command != null ? process.command : name == null ? "reference" : name;
        }
    }

    /** {@code --bounds}: a bounds file, or the command's own default bounds. */
    static final class BoundsFile {
        @Option(names = "--bounds", paramLabel = "FILE",
                description = "bounds file (JSON, see the bounds command); default: the command's built-in bounds")
        Path file;

        @Option(names = "--profile", paramLabel = "NAME",
                description = "contract profile: ioasid-2021 or iommufd (default: the bounds file's, else ioasid-2021)")
        String profile;

        Bounds orElse(Bounds defaults) throws BadInputException {
            Bounds bounds = file == null ? defaults : Inputs.bounds(file);
            return profile == null ? bounds : bounds.withProfile(Profiles.named(profile));
        }
    }

    /** {@code --quiet}: no progress lines. */
    static final class Quiet {
        @Option(names = {"-q", "--quiet"}, description = "no progress lines on standard error")
        boolean quiet;
    }

    /** {@code --out}: where traces and reports are written. */
    static final class Out {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "ioasid-out",
                description = "where traces and reports are written (default: ${DEFAULT-VALUE}); checked before the run")
        Path dir;

        /** The directory, made and proved writable: call before the work starts. */
        Path ready() throws BadInputException {
            return Outputs.ready(dir);
        }
    }
}
