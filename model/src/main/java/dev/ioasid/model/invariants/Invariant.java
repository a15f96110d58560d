package dev.ioasid.model.invariants;

import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.function.Function;

/**
 * A named property every reachable state must have, citing the SPEC rules it stands for. The check
 * returns what is wrong, or nothing. The property engine and the explorer share these values.
 */
public record Invariant(String name, List<Rule> rules, Function<ModelState, Option<String>> check) {

    public Option<String> violation(ModelState state) {
        return check.apply(state);
    }

    public static Invariant of(String name, Function<ModelState, Option<String>> check, Rule... rules) {
        return new Invariant(name, List.of(rules), check);
    }

    @Override
    public String toString() {
        return name + " " + rules.mkString("(", ", ", ")");
    }
}
