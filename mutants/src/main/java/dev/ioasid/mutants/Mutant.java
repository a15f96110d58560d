package dev.ioasid.mutants;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.IoasidImplementation;
import java.util.function.Function;

/**
 * A planted bug: the reference implementation with one realistic kernel-style mistake.
 *
 * @param name          a short kebab-case name
 * @param mistake       the mistake, as a kernel reviewer would describe it
 * @param rule          the SPEC rule it breaks
 * @param shortestTrace the length of the shortest trace that shows it, derived by hand (see the class docs)
 */
public record Mutant(String name, String mistake, String rule, int shortestTrace,
                     Function<Bounds, IoasidImplementation> make) implements ImplementationFactory {

    @Override
    public IoasidImplementation create(Bounds bounds) {
        return make.apply(bounds);
    }
}
