package dev.ioasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceResponse;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.contract.Result;
import dev.ioasid.model.invariants.Invariants;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interleaved fault delivery (PRQ-9, FLT-8): a completed group waits in the page request queue, is
 * routed by what is attached when deliverFault takes it, is outstanding while it waits, and is
 * drained by a detach of its point; without the drain it outlives the detach, which an invariant
 * names. Under atomic delivery nothing is ever queued.
 */
class InterleavedDeliveryTests {
    private static final Bounds BOUNDS = new Bounds(1, 1, 1, List.of(new DeviceSpec(1, 1, 0, true, DriverKind.VFIO_PCI)),
            1, 1, 3, 0, 1, 1);
    private static final Operation REQUEST = new Operation.PageRequest(1, Pasid.NONE, 0, Access.READ, 0, true);
    private static final Operation DELIVER = new Operation.DeliverFault(1);

    /** A fault queue (1), an IOAS (2), a paging HWPT with the queue (3), under the given delivery. */
    private static ModelState withQueueTable(FaultDelivery delivery) {
        return run(Model.initial(BOUNDS, Design.PAGE_TABLE_OWNER, delivery), new Operation.AllocFaultQueue(1),
                new Operation.AllocIoas(1), new Operation.AllocHwptPaging(1, 2, false, false, 1));
    }

    private static ModelState run(ModelState s, Operation... ops) {
        for (Operation op : ops) {
            s = step(s, op).next();
        }
        return s;
    }

    private static Transition.Step step(ModelState s, Operation op) {
        return Model.step(s, op).canonical();
    }

    private static ModelObject.FaultQueue queue(ModelState s) {
        return (ModelObject.FaultQueue) s.object(1, 1).get();
    }

    @Test
    void aCompletedGroupWaitsUntilTheDriverDeliversIt() {
        ModelState attached = run(withQueueTable(FaultDelivery.INTERLEAVED), new Operation.Attach(1, Pasid.NONE, 3));
        Transition.Step requested = step(attached, REQUEST);

        assertThat(requested.result()).isEqualTo(Result.done());
        assertThat(requested.rules()).contains(Rule.PRQ_9);
        assertThat(requested.next().prq()).hasSize(1);
        assertThat(queue(requested.next()).delivered()).isEmpty();
        assertThat(Invariants.firstViolation(requested.next())).isEmpty();
        // Outstanding while it waits (PRQ-7).
        assertThat(step(requested.next(), REQUEST).result()).isEqualTo(Result.failed(Errno.EBUSY));

        Transition.Step delivered = step(requested.next(), DELIVER);
        assertThat(delivered.rules()).contains(Rule.PRQ_9, Rule.PRQ_4);
        assertThat(delivered.next().prq()).isEmpty();
        assertThat(queue(delivered.next()).delivered()).hasSize(1);
        assertThat(step(delivered.next(), DELIVER).result()).isEqualTo(Result.failed(Errno.ENOENT));
    }

    @Test
    void theGroupIsRoutedByWhatIsAttachedWhenItIsDelivered() {
        // Queued with nothing attached (atomic delivery would answer INVALID at once, PRQ-3), then the
        // point is attached to the table with the queue: the driver hands the group to that queue.
        ModelState s = run(withQueueTable(FaultDelivery.INTERLEAVED), REQUEST, new Operation.Attach(1, Pasid.NONE, 3), DELIVER);

        assertThat(queue(s).delivered()).hasSize(1);
        assertThat(s.responses(1)).isEmpty();
        ModelState atomic = run(withQueueTable(FaultDelivery.ATOMIC), REQUEST);
        assertThat(atomic.prq()).isEmpty();
        assertThat(atomic.responses(1)).containsExactly(new DeviceResponse(Pasid.NONE, 0, ResponseCode.INVALID));
    }

    @Test
    void aDetachDrainsThePointsQueuedGroupsThenAnswersThem() {
        ModelState queued = run(withQueueTable(FaultDelivery.INTERLEAVED), new Operation.Attach(1, Pasid.NONE, 3), REQUEST);
        Transition.Step detached = step(queued, new Operation.Detach(1, Pasid.NONE));

        assertThat(detached.rules()).contains(Rule.FLT_5, Rule.FLT_8);
        assertThat(detached.next().prq()).isEmpty();
        assertThat(queue(detached.next()).delivered()).isEmpty();
        assertThat(detached.next().responses(1)).containsExactly(new DeviceResponse(Pasid.NONE, 0, ResponseCode.INVALID));
        assertThat(Invariants.firstViolation(detached.next())).isEmpty();
    }

    @Test
    void withoutTheDrainTheGroupOutlivesTheDetachAndReachesTheNextOwner() {
        ModelState queued = run(withQueueTable(FaultDelivery.INTERLEAVED_NO_DRAIN), new Operation.Attach(1, Pasid.NONE, 3),
                REQUEST);
        ModelState detached = step(queued, new Operation.Detach(1, Pasid.NONE)).next();

        assertThat(detached.prq()).singleElement().satisfies(g -> assertThat(g.orphaned()).isTrue());
        assertThat(detached.responses(1)).isEmpty();
        assertThat(Invariants.firstViolation(detached).get()._1.name())
                .isEqualTo("no group waits in the page request queue past a detach or replace of its point");
        // The next owner of the point gets it.
        ModelState next = run(detached, new Operation.Attach(1, Pasid.NONE, 3), DELIVER);
        assertThat(queue(next).delivered()).hasSize(1);
    }
}
