package dev.ioasid.explorer;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Rule;
import dev.ioasid.model.invariants.Invariant;
import java.util.List;

/** What an exploration found: every reachable state holds, an invariant broke, or the budget ran out. */
public sealed interface ExploreResult {

    Stats stats();

    /**
     * @param states      distinct states reached (fingerprints in the visited set)
     * @param transitions operations applied, self-loops (errors, queries) included
     * @param slept       operations not applied, as the partial-order reduction showed they lead nowhere new
     * @param depth       the length of the longest shortest path explored
     * @param checksum    the sum of the visited fingerprints: the same for the same set of states, whatever
     *                    the threads or the reduction
     * @param newByDepth  how many states were first reached at each depth, from 0 (the initial state)
     */
    record Stats(long states, long transitions, long slept, int depth, double seconds, long visitedBytes, long checksum,
                 List<Long> newByDepth) {
        public Stats {
            newByDepth = List.copyOf(newByDepth);
        }

        public double statesPerSecond() {
            return seconds > 0 ? states / seconds : 0;
        }

        public double bytesPerState() {
            return states > 0 ? (double) visitedBytes / states : 0;
        }
    }

    /** One step of a counterexample, replayed on the model. */
    record Step(Operation op, Result result, List<Rule> rules) {
    }

    /** Every reachable state within the bounds satisfies every invariant. */
    record Holds(Stats stats) implements ExploreResult {
    }

    /** A state breaks an invariant; {@code trace} is a shortest way there. */
    record Violated(Stats stats, Invariant invariant, String violation, List<Step> trace) implements ExploreResult {
    }

    /** The state or memory budget ran out first: no violation within the states reached; {@code why} says which. */
    record BoundExhausted(Stats stats, String why) implements ExploreResult {
    }
}
