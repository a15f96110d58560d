package dev.ioasid.properties.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker on hand-made histories: real-time order, the model's latitude, and why an order is missing. */
class LinearizabilityTests {
    private static final Operation ALLOC_IOAS = new Operation.AllocIoas(1);
    private static final Operation ATTACH = new Operation.Attach(1, Pasid.NONE, 1);
    private static final Operation QUERY = new Operation.QueryAttachment(1, Pasid.NONE);

    private static History history(List<Call> calls) {
        return new History(ParallelConfig.defaultBounds(), List.of(ALLOC_IOAS), List.of(new Result.Allocated(1)), 2, calls);
    }

    @Test
    void overlappingCallsMayBeOrderedEitherWay() {
        // The query overlaps the attach and saw nothing attached: it went first.
        History h = history(List.of(new Call(0, 0, ATTACH, Result.done(), 1, 4), new Call(1, 0, QUERY, new Result.AttachedTable(0), 2, 3)));
        Linearizability.Verdict v = Linearizability.check(h);
        assertThat(v).isInstanceOf(Linearizability.Linearizable.class);
        assertThat(((Linearizability.Linearizable) v).order()).extracting(Call::name).containsExactly("t2.1", "t1.1");
    }

    @Test
    void aCallThatReturnedBeforeAnotherWasInvokedComesFirst() {
        // The attach returned before the query began: the query must see the table.
        History h = history(List.of(new Call(0, 0, ATTACH, Result.done(), 1, 2), new Call(1, 0, QUERY, new Result.AttachedTable(0), 3, 4)));
        Linearizability.Verdict v = Linearizability.check(h);
        assertThat(v).isInstanceOf(Linearizability.NotLinearizable.class);
        Linearizability.NotLinearizable n = (Linearizability.NotLinearizable) v;
        assertThat(n.longest()).extracting(Call::name).containsExactly("t1.1");
        assertThat(n.stuck()).singleElement().satisfies(s -> {
            assertThat(s.call().name()).isEqualTo("t2.1");
            assertThat(s.expected()).isEqualTo("ok(table=1)");
            assertThat(s.rules()).containsExactly("ATT-11");
        });
        assertThat(n.explain()).contains("longest legal order (1 call): t1.1")
                .contains("then t2.1 queryAttachment(dev=1, pasid=none) returned ok(detached), expected ok(table=1) [ATT-11]");
    }

    @Test
    void idsAreTheImplementationsChoiceInEveryOrder() {
        // Two allocations at once: either may get either free ID, but not the same one.
        Operation alloc = new Operation.AllocIoas(1);
        History distinct = history(List.of(new Call(0, 0, alloc, new Result.Allocated(4), 1, 4), new Call(1, 0, alloc, new Result.Allocated(2), 2, 3)));
        assertThat(Linearizability.check(distinct).linearizable()).isTrue();
        History same = history(List.of(new Call(0, 0, alloc, new Result.Allocated(2), 1, 4), new Call(1, 0, alloc, new Result.Allocated(2), 2, 3)));
        assertThat(Linearizability.check(same).linearizable()).isFalse();
    }

    @Test
    void twoAttachesAtOnceCannotBothSucceed() {
        History h = history(List.of(new Call(0, 0, ATTACH, Result.done(), 1, 3), new Call(1, 0, ATTACH, Result.done(), 2, 4)));
        assertThat(Linearizability.check(h).linearizable()).isFalse();
        History oneRefused = history(List.of(new Call(0, 0, ATTACH, Result.done(), 1, 3),
                new Call(1, 0, ATTACH, Result.failed(Errno.EBUSY), 2, 4)));
        assertThat(Linearizability.check(oneRefused).linearizable()).isTrue();
    }

    @Test
    void aCallThatThrewIsNeverLinearized() {
        History h = history(List.of(new Call(0, 0, QUERY, null, 1, Long.MAX_VALUE)));
        Linearizability.NotLinearizable n = (Linearizability.NotLinearizable) Linearizability.check(h);
        assertThat(n.explain()).contains("returned (no answer: it threw)");
    }

    @Test
    void aPrefixTheModelRejectsIsSaidToBeSequential() {
        History h = new History(ParallelConfig.defaultBounds(), List.of(ALLOC_IOAS), List.of(new Result.Allocated(9)), 2, List.of());
        assertThat(Linearizability.check(h)).isInstanceOf(Linearizability.PrefixRejected.class);
    }
}
