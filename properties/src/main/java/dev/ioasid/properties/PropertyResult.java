package dev.ioasid.properties;

import io.vavr.collection.List;

/** The outcome of a property run: passed, or falsified with a shrunk trace that replays the failure. */
public sealed interface PropertyResult {

    PropertyConfig config();

    Coverage coverage();

    String implementation();

    record Passed(PropertyConfig config, Coverage coverage, String implementation, double seconds)
            implements PropertyResult {
    }

    /**
     * @param sequence       index of the failing sequence in the run
     * @param originalLength how many steps the failing sequence had when it failed
     * @param shrunk         the minimal failing sequence and its failure
     * @param trace          every step of the minimal sequence, replayed, the failing one last
     * @param cause          the earlier step after which a probe already disagreed with the model, if any
     */
    record Falsified(PropertyConfig config, Coverage coverage, String implementation, int sequence,
                     int originalLength, Shrinker.Shrunk shrunk, List<StepRecord> trace, double secondsToFind,
                     double secondsToShrink, io.vavr.control.Option<RootCause.Cause> cause) implements PropertyResult {

        /** A failure whose root cause was not looked for. */
        public Falsified(PropertyConfig config, Coverage coverage, String implementation, int sequence,
                         int originalLength, Shrinker.Shrunk shrunk, List<StepRecord> trace, double secondsToFind,
                         double secondsToShrink) {
            this(config, coverage, implementation, sequence, originalLength, shrunk, trace, secondsToFind,
                    secondsToShrink, io.vavr.control.Option.none());
        }
    }
}
