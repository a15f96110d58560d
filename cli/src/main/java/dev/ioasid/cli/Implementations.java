package dev.ioasid.cli;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.model.ModelImplementation;
import dev.ioasid.mutants.Mutant;
import dev.ioasid.mutants.Mutants;
import dev.ioasid.reference.ReferenceImplementation;
import java.util.ArrayList;
import java.util.List;

/** The implementations the command can check, by name. */
final class Implementations {

    private Implementations() {
    }

    static ImplementationFactory byName(String name) throws BadInputException {
        if (name.equals("reference")) {
            return ReferenceImplementation.FACTORY;
        }
        if (name.equals("model")) {
            return ModelImplementation.FACTORY;
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
        List<String> names = new ArrayList<>(List.of("reference", "model"));
        for (Mutant m : Mutants.ALL) {
            names.add("mutant:" + m.name());
        }
        return names;
    }
}
