package dev.ioasid.properties;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import io.vavr.collection.List;
import io.vavr.control.Option;

/**
 * Replays a fixed sequence in lock step against a fresh implementation, renaming IDs where the
 * implementation hands out other IDs than the run the sequence came from ({@link IdRenaming}).
 */
public final class Replay {

    private Replay() {
    }

    /**
     * What a replay did: the operations as applied (after renaming), the result of each (absent
     * where the implementation crashed), a record of each checked step, and the first failure.
     */
    public record Replayed(List<Operation> applied, List<Option<Result>> observed, List<StepRecord> records,
                           Option<Failure> failure) {
    }

    /**
     * @param before what each operation returned in the run the sequence comes from (may be shorter
     *               than {@code ops}, or empty: then nothing is renamed)
     */
    public static Replayed run(Bounds bounds, ImplementationFactory factory, List<Operation> ops,
                               List<Option<Result>> before) {
        LockStep lockStep = new LockStep(bounds, factory);
        IdRenaming renaming = new IdRenaming(bounds);
        List<Operation> applied = List.empty();
        List<Option<Result>> observed = List.empty();
        List<StepRecord> records = List.empty();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = renaming.rename(ops.get(i));
            LockStep.Outcome outcome = lockStep.apply(op);
            Option<Result> result = outcome.record().map(StepRecord::observed);
            applied = applied.append(op);
            observed = observed.append(result);
            records = records.appendAll(outcome.record());
            if (i < before.size() && before.get(i).isDefined() && result.isDefined()) {
                renaming.learn(op, before.get(i).get(), result.get());
            }
            if (outcome.failed()) {
                return new Replayed(applied, observed, records, outcome.failure());
            }
        }
        return new Replayed(applied, observed, records, Option.none());
    }
}
