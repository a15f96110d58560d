package dev.ioasid.cli;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.mutants.Mutant;
import dev.ioasid.process.ProcessImplementationFactory;
import java.nio.file.Path;

/**
 * The command that replays a trace against the implementation that produced it, exactly: the
 * built-in implementations by their --impl name, a process by its --impl-cmd, and an implementation
 * registered for ServiceLoader by its name with the jar it came from on the class path.
 */
final class ReplayLine {
    static final String JAR = "cli/target/ioasid-contract.jar";

    private ReplayLine() {
    }

    /** The arguments after the trace file: what names the implementation to replay. */
    static String reach(ImplementationFactory factory) {
        if (factory instanceof ProcessImplementationFactory process) {
            return "--impl-cmd " + quoted(process.command());
        }
        return "--impl " + (factory instanceof Mutant ? "mutant:" + factory.name() : factory.name())
                + (builtIn(factory) ? "" : "   (with " + jarOf(factory) + " on the class path)");
    }

    static String of(Path trace, ImplementationFactory factory) {
        if (factory instanceof ProcessImplementationFactory process) {
            return "java -jar " + JAR + " replay " + trace + " --impl-cmd " + quoted(process.command());
        }
        String name = factory instanceof Mutant ? "mutant:" + factory.name() : factory.name();
        if (builtIn(factory)) {
            return "java -jar " + JAR + " replay " + trace + " --impl " + name;
        }
        return "java -cp " + JAR + ":" + jarOf(factory) + " dev.ioasid.cli.Main replay " + trace + " --impl " + name;
    }

    /** Whether the runnable jar alone reaches the implementation: the reference, the model, the planted bugs. */
    static boolean builtIn(ImplementationFactory factory) {
        String pkg = factory.getClass().getPackageName();
        return pkg.startsWith("dev.ioasid.reference") || pkg.startsWith("dev.ioasid.model") || factory instanceof Mutant;
    }

    private static String jarOf(ImplementationFactory factory) {
        var source = factory.getClass().getProtectionDomain().getCodeSource();
        return source == null ? "YOUR-IMPLEMENTATION.jar" : Path.of(java.net.URI.create(source.getLocation().toString())).toString();
    }

    /** A shell word as typed: bare when it is safe so, else single-quoted. */
    static String word(String word) {
        return word.matches("[A-Za-z0-9_./:=,@%+-]+") ? word : quoted(word);
    }

    /** A single-quoted shell word. */
    static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
