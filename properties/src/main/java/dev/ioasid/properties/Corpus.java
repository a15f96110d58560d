package dev.ioasid.properties;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import io.vavr.collection.List;
import io.vavr.control.Option;

/**
 * Failing sequences earlier runs wrote (their trace files), replayed before any random sequence:
 * a regression of a bug found once shows in the time a replay takes, as Hypothesis's example
 * database does. An entry is a sequence as it was applied, with what each call returned then (for
 * renaming the IDs an implementation hands out differently).
 */
public final class Corpus {

    /** One earlier failing sequence; {@code name} says where it came from (a trace file). */
    public record Entry(String name, List<Operation> ops, List<Option<Result>> observed) {
    }

    /** What replaying the corpus found: the entry that fails again, if any, and how many were replayed. */
    public record Outcome(int replayed, Option<String> failing) {
    }

    private Corpus() {
    }
}
