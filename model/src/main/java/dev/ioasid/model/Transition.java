package dev.ioasid.model;

import dev.ioasid.contract.Result;
import io.vavr.collection.List;
import io.vavr.collection.Seq;
import io.vavr.control.Option;
import java.util.function.IntFunction;

/**
 * What the model allows for one operation in one state. Either one result and next state, or a
 * choice the contract leaves to the implementation (which free ID to return): then every legal
 * choice is accepted and followed, and nothing else.
 */
public sealed interface Transition {

    /** The step the model takes if the implementation returned {@code observed}, if that is allowed. */
    Option<Step> accept(Result observed);

    /** Every step the model allows, for exploration. */
    Seq<Step> steps();

    /** The rules that decide this transition, for reporting a mismatch. */
    List<Rule> rules();

    /** What the model expected, in words: {@code EBUSY}, or {@code ok(id) with id in {2, 5}}. */
    String expected();

    /** An allowed step: its result, the next state and the rules that decided it. */
    record Step(Result result, ModelState next, List<Rule> rules) {
    }

    /** Exactly one result is allowed. */
    record Determined(Step step) implements Transition {
        @Override public Option<Step> accept(Result observed) {
            return step.result().equals(observed) ? Option.some(step) : Option.none();
        }

        @Override public Seq<Step> steps() { return List.of(step); }

        @Override public List<Rule> rules() { return step.rules(); }

        @Override public String expected() { return step.result().toString(); }
    }

    /** Success with any ID in {@code legal} (never empty); {@code choose} gives the step for one. */
    record ChooseId(List<Integer> legal, List<Rule> rules, IntFunction<Step> choose) implements Transition {
        @Override public Option<Step> accept(Result observed) {
            if (observed instanceof Result.Allocated allocated && legal.contains(allocated.id())) {
                return Option.some(choose.apply(allocated.id()));
            }
            return Option.none();
        }

        @Override public Seq<Step> steps() { return legal.map(choose::apply); }

        @Override public String expected() {
            return "ok(id) with id in " + legal.mkString("{", ", ", "}");
        }
    }

    static Transition of(Result result, ModelState next, Rule... rules) {
        return new Determined(new Step(result, next, List.of(rules)));
    }
}
