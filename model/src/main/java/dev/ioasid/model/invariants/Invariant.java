package dev.ioasid.model.invariants;

import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.Set;
import java.util.function.Function;

/**
 * A named property every reachable state must have, citing the SPEC rules it stands for, and the
 * parts of a state it reads. The check returns what is wrong, or nothing. The property engine and
 * the explorer share these values.
 */
public record Invariant(String name, List<Rule> rules, Set<Part> reads,
                        Function<ModelState, Option<String>> check) {

    public Option<String> violation(ModelState state) {
        return check.apply(state);
    }

    /**
     * Whether {@code state} holds the very same value as {@code before} in every part this
     * invariant reads: if so, it has the same verdict.
     */
    public boolean readsNothingChanged(ModelState state, ModelState before) {
        for (Part part : reads) {
            if (!part.same(state, before)) {
                return false;
            }
        }
        return true;
    }

    public static Invariant of(String name, Set<Part> reads, Function<ModelState, Option<String>> check, Rule... rules) {
        return new Invariant(name, List.of(rules), reads, check);
    }

    @Override
    public String toString() {
        return name + " " + rules.mkString("(", ", ", ")");
    }
}
