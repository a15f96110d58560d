package dev.ioasid.properties.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Interleaving;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run whose threads can make no progress is reported as stuck, not left hanging. */
class ControlledSchedulerTests {

    /** Takes a lock and never lets it go: every other call waits for it forever. */
    private static final ImplementationFactory NEVER_UNLOCKS = new ImplementationFactory() {
        @Override public String name() {
            return "never-unlocks";
        }

        @Override public IoasidImplementation create(Bounds bounds) {
            Interleaving.Mutex lock = new Interleaving.Mutex();
            return op -> {
                Interleaving.point();
                lock.lock();
                return dev.ioasid.contract.Result.done();
            };
        }
    };

    @Test
    void aLockNeverReleasedIsAStuckRunNotAHang() {
        Operation query = new Operation.QuerySet(1);
        // One thread takes the lock and finishes; the other waits for it until the switch budget runs out.
        Scenario scenario = new Scenario(List.of(), List.of(List.of(query, query), List.of(query, query)), 7);
        ParallelRunner.Run run = ParallelRunner.run(ParallelConfig.defaultBounds(), NEVER_UNLOCKS, scenario, true);
        assertThat(run.stuck()).isTrue();
        // The holder's calls complete (the lock is reentrant); the other thread's never do.
        assertThat(run.history().calls()).hasSize(2).extracting(Call::thread).containsOnly(run.history().calls().get(0).thread());
    }
}
