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

    /**
     * The first of {@link #steps()}, the one exploration and the model-as-implementation follow
     * (the lowest free ID, the old-or-new DMA result that sorts first), without building the others.
     */
    default Step canonical() {
        return steps().head();
    }

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

        @Override public Step canonical() { return step; }

        @Override public List<Rule> rules() { return step.rules(); }

        @Override public String expected() { return step.result().toString(); }
    }

    /**
     * Success with any value in {@code legal} (never empty), the implementation's choice; {@code choose}
     * gives the step for one, and its result is what must be observed: an object ID or PASID
     * ({@link Result.Allocated}), or the IOVA of a map (a {@link Result.Mapped}: IOAS-11, where the
     * lowest is iommufd's first fit). {@code what} names the value in words.
     */
    record ChooseId(List<Integer> legal, List<Rule> rules, IntFunction<Step> choose, String what) implements Transition {
        public ChooseId(List<Integer> legal, List<Rule> rules, IntFunction<Step> choose) {
            this(legal, rules, choose, "id");
        }

        @Override public Option<Step> accept(Result observed) {
            Integer chosen = observed instanceof Result.Allocated allocated ? Integer.valueOf(allocated.id())
                    : observed instanceof Result.Mapped mapped ? Integer.valueOf(mapped.iova()) : null;
            if (chosen == null || !legal.contains(chosen)) {
                return Option.none();
            }
            Step step = choose.apply(chosen);
            return step.result().equals(observed) ? Option.some(step) : Option.none();
        }

        @Override public Seq<Step> steps() { return legal.map(choose::apply); }

        @Override public Step canonical() { return choose.apply(legal.head()); }

        @Override public String expected() {
            return "ok(" + what + ") with " + what + " in " + legal.mkString("{", ", ", "}");
        }
    }

    /**
     * Success with any ID in {@code [min, max]} that {@code free} accepts (at least one does): the
     * same as {@link ChooseId}, without listing a range that may hold a million values (a PASID
     * range of 20 bits); {@code what} names the IDs in words for reports.
     */
    record ChooseInRange(int min, int max, java.util.function.IntPredicate free, String what, List<Rule> rules,
                         IntFunction<Step> choose) implements Transition {
        @Override public Option<Step> accept(Result observed) {
            if (observed instanceof Result.Allocated allocated && allocated.id() >= min && allocated.id() <= max
                    && free.test(allocated.id())) {
                return Option.some(choose.apply(allocated.id()));
            }
            return Option.none();
        }

        @Override public Seq<Step> steps() {
            return List.rangeClosed(min, max).filter(free::test).map(choose::apply);
        }

        @Override public Step canonical() {
            for (int id = min; id <= max; id++) {
                if (free.test(id)) {
                    return choose.apply(id);
                }
            }
            throw new IllegalStateException("no free ID in [" + min + ", " + max + "]");
        }

        @Override public String expected() {
            if ((long) max - min < 16) {
                return "ok(id) with id in " + List.rangeClosed(min, max).filter(free::test).mkString("{", ", ", "}");
            }
            return "ok(id) with id any value in [" + min + ", " + max + "] " + what;
        }
    }

    /** Any one of a few results (a DMA through a stage-1 entry not yet invalidated: old or new). */
    record OneOf(List<Step> allowed) implements Transition {
        @Override public Option<Step> accept(Result observed) {
            return allowed.find(step -> step.result().equals(observed));
        }

        @Override public Seq<Step> steps() { return allowed; }

        @Override public List<Rule> rules() { return allowed.flatMap(Step::rules).distinct(); }

        @Override public String expected() {
            return allowed.size() == 1 ? allowed.head().result().toString()
                    : allowed.map(step -> step.result().toString()).mkString("one of {", ", ", "}");
        }
    }

    /**
     * A result the implementation fills with values of its choice that cannot be listed (fresh
     * cookies): {@code acceptor} checks one and gives its step; {@code canonical} is the step
     * exploration follows.
     */
    record Validated(String expected, List<Rule> rules, java.util.function.Function<Result, Option<Step>> acceptor,
                     Step canonical) implements Transition {
        @Override public Option<Step> accept(Result observed) {
            return acceptor.apply(observed);
        }

        @Override public Seq<Step> steps() { return List.of(canonical); }

        @Override public Step canonical() { return canonical; }
    }

    /**
     * Any step one of several transitions allows, tried in order: a choice between kernel versions
     * where one refuses what another does (a second vDEVICE for a device: EEXIST from Linux 6.17).
     */
    record AnyOf(List<Transition> options) implements Transition {
        @Override public Option<Step> accept(Result observed) {
            for (Transition option : options) {
                Option<Step> step = option.accept(observed);
                if (step.isDefined()) {
                    return step;
                }
            }
            return Option.none();
        }

        @Override public Seq<Step> steps() { return options.flatMap(Transition::steps); }

        @Override public Step canonical() { return options.head().canonical(); }

        @Override public List<Rule> rules() { return options.flatMap(Transition::rules).distinct(); }

        @Override public String expected() { return options.map(Transition::expected).mkString(" or "); }
    }

    static Transition of(Result result, ModelState next, Rule... rules) {
        return new Determined(new Step(result, next, List.of(rules)));
    }
}
