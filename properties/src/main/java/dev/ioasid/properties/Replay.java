package dev.ioasid.properties;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.Iterator;

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
        // Collected in array lists and converted once: appending to a Vavr List, or indexing one, costs
        // time linear in its length, which made long replays quadratic.
        ArrayList<Operation> applied = new ArrayList<>();
        ArrayList<Option<Result>> observed = new ArrayList<>();
        ArrayList<StepRecord> records = new ArrayList<>();
        Iterator<Option<Result>> earlier = before.iterator();
        for (Operation original : ops) {
            Operation op = renaming.rename(original);
            LockStep.Outcome outcome = lockStep.apply(op);
            Option<Result> result = outcome.record().map(StepRecord::observed);
            applied.add(op);
            observed.add(result);
            outcome.record().forEach(records::add);
            Option<Result> was = earlier.hasNext() ? earlier.next() : Option.none();
            if (was.isDefined() && result.isDefined()) {
                renaming.learn(op, was.get(), result.get());
            }
            if (outcome.failed()) {
                return replayed(applied, observed, records, outcome.failure());
            }
        }
        return replayed(applied, observed, records, Option.none());
    }

    private static Replayed replayed(ArrayList<Operation> applied, ArrayList<Option<Result>> observed,
                                     ArrayList<StepRecord> records, Option<Failure> failure) {
        return new Replayed(List.ofAll(applied), List.ofAll(observed), List.ofAll(records), failure);
    }
}
