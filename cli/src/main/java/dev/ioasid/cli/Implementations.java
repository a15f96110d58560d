package dev.ioasid.cli;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.model.ModelImplementation;
import dev.ioasid.mutants.Mutant;
import dev.ioasid.mutants.Mutants;
import dev.ioasid.reference.ReferenceImplementation;
import dev.ioasid.process.ProcessImplementationFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ServiceLoader;
import java.util.List;

/**
 * The implementations the command can check: by name (the reference, the model, the planted bugs,
 * and any factory on the class path registered for {@code ServiceLoader} under
 * {@code META-INF/services/dev.ioasid.contract.ImplementationFactory}), or a command in another process.
 */
final class Implementations {

    private Implementations() {
    }

    /** {@code --impl-cmd} when given, else {@code --impl}. */
    static ImplementationFactory factory(String name, String command, double timeoutSeconds) throws BadInputException {
        if (command == null) {
            return byName(name);
        }
        if (command.isBlank()) {
            throw new BadInputException("--impl-cmd: an empty command");
        }
        if (!(timeoutSeconds > 0)) {
            throw new BadInputException("--impl-timeout: must be more than 0 seconds, was " + timeoutSeconds);
        }
        return new ProcessImplementationFactory(command, Duration.ofMillis((long) (timeoutSeconds * 1000)));
    }

    /** What a command does with an implementation. */
    interface Check {
        Integer run(ImplementationFactory factory) throws BadInputException, java.io.IOException;
    }

    /**
     * Starts the implementation on these bounds (a process says hello and resets), runs the check,
     * then stops the process if it has one, whatever happened. A process that cannot start, or breaks
     * the protocol before its first answer, is bad input (exit 2), not a contract violation.
     */
    static Integer using(ImplementationFactory factory, dev.ioasid.contract.Bounds bounds, Check check)
            throws BadInputException, java.io.IOException {
        try {
            if (factory instanceof ProcessImplementationFactory process) {
                try {
                    process.create(bounds);
                } catch (dev.ioasid.contract.ImplementationBroke e) {
                    throw new BadInputException("--impl-cmd: the implementation did not start: " + e.getMessage());
                }
            }
            return check.run(factory);
        } finally {
            if (factory instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // stopping it is best effort: the process also ends when its input closes
                }
            }
        }
    }

    static ImplementationFactory byName(String name) throws BadInputException {
        for (ImplementationFactory registered : ServiceLoader.load(ImplementationFactory.class)) {
            if (registered.name().equals(name)) {
                return registered;
            }
        }
        if (name.equals("reference")) {
            return ReferenceImplementation.FACTORY;
        }
        if (name.equals("model")) {
            return ModelImplementation.FACTORY;
        }
        if (name.equals("reference-concurrent")) {
            return dev.ioasid.reference.ConcurrentReference.FACTORY;
        }
        if (name.startsWith("mutant:")) {
            return Mutants.byName(name.substring("mutant:".length()))
                    .map(m -> (ImplementationFactory) m)
                    .orElseThrow(() -> new BadInputException("--impl: unknown mutant '" + name + "'; expected one of "
                            + names()));
        }
        throw new BadInputException("--impl: unknown implementation '" + name + "'; expected one of " + names());
    }

    static List<String> names() {
        List<String> names = new ArrayList<>(List.of("reference", "model", "reference-concurrent"));
        for (Mutant m : Mutants.ALL) {
            names.add("mutant:" + m.name());
        }
        for (Mutant m : dev.ioasid.mutants.RaceMutants.ALL) {
            names.add("mutant:" + m.name());
        }
        for (ImplementationFactory registered : ServiceLoader.load(ImplementationFactory.class)) {
            names.add(registered.name());
        }
        return names;
    }
}
