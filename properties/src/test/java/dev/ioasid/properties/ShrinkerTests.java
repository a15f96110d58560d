package dev.ioasid.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Operation.AllocIoas;
import dev.ioasid.contract.Operation.CreateSet;
import dev.ioasid.contract.Operation.QueryObject;
import dev.ioasid.mutants.Mutants;
import io.vavr.collection.List;
import org.junit.jupiter.api.Test;

/** The shrinker on hand-made sequences: it reaches a 1-minimal trace and follows renamed IDs. */
class ShrinkerTests {
    private static final Bounds BOUNDS = Bounds.defaults();

    @Test
    void dropsEverythingTheFailureDoesNotNeedAndFollowsIds() {
        // cross-vm-lookup: VM 2 can see VM 1's objects. The query names ID 3, which only exists
        // because two IOAS were allocated before it; shrinking drops them and renames 3 to 1.
        List<Operation> ops = List.of(new CreateSet(1, 2), new AllocIoas(1), new AllocIoas(1), new CreateSet(2, 1),
                new AllocIoas(1), new Operation.QuerySet(1), new QueryObject(2, 3));
        var factory = Mutants.byName("cross-vm-lookup").orElseThrow();
        Replay.Replayed found = Replay.run(BOUNDS, factory, ops, List.empty());
        assertThat(found.failure()).isNotEmpty();

        Shrinker.Shrunk shrunk = new Shrinker((candidate, before) -> Replay.run(BOUNDS, factory, candidate, before),
                10_000).shrink(found);

        assertThat(shrunk.ops()).containsExactly(new AllocIoas(1), new QueryObject(2, 1));
        assertThat(shrunk.budgetExhausted()).isFalse();
    }

    @Test
    void stopsAtTheReplayBudget() {
        var factory = Mutants.byName("cross-vm-lookup").orElseThrow();
        List<Operation> ops = List.of(new AllocIoas(1), new AllocIoas(1), new QueryObject(2, 2));
        Replay.Replayed found = Replay.run(BOUNDS, factory, ops, List.empty());

        Shrinker.Shrunk shrunk = new Shrinker((candidate, before) -> Replay.run(BOUNDS, factory, candidate, before), 1)
                .shrink(found);

        assertThat(shrunk.replays()).isEqualTo(1);
        assertThat(shrunk.budgetExhausted()).isTrue();
        assertThat(shrunk.ops().size()).isLessThanOrEqualTo(3);
    }
}
