package dev.ioasid.properties.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Interleaving;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The controlled scheduler's two policies (uniform switching, PCT), and a run whose threads can make
 * no progress reported as stuck, not left hanging.
 */
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

    /** Which thread ran each point of a run of two threads passing ten points each. */
    private static List<Integer> pointsRun(ControlledScheduler scheduler) throws InterruptedException {
        List<Integer> ran = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int id = t;
            threads[t] = new Thread(() -> Interleaving.runUnder(scheduler, () -> {
                try {
                    scheduler.enter(id);
                    for (int i = 0; i < 10; i++) {
                        ran.add(id);
                        Interleaving.point();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    scheduler.exit(id);
                }
            }));
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        return ran;
    }

    private static int switches(List<Integer> ran) {
        int switches = 0;
        for (int i = 1; i < ran.size(); i++) {
            switches += ran.get(i).equals(ran.get(i - 1)) ? 0 : 1;
        }
        return switches;
    }

    @Test
    void halfTheRunsFollowPctAndSwitchOnlyAtTheirPriorityDrops() throws InterruptedException {
        int pct = 0;
        int uniformSwitches = 0;
        for (long seed = 0; seed < 100; seed++) {
            ControlledScheduler scheduler = new ControlledScheduler(2, seed, 20);
            List<Integer> ran = pointsRun(scheduler);
            assertThat(ran).as("seed %d", seed).hasSize(20);
            assertThat(pointsRun(new ControlledScheduler(2, seed, 20))).as("the same seed, the same interleaving").isEqualTo(ran);
            if (scheduler.followsPct()) {
                pct++;
                // The highest priority runs until a drop (one or two) or its end: at most three switches.
                assertThat(switches(ran)).as("seed %d: %s", seed, ran).isLessThanOrEqualTo(3);
            } else {
                uniformSwitches += switches(ran);
            }
        }
        assertThat(pct).isBetween(30, 70);
        // Uniform switching changes thread at about every other point.
        assertThat(uniformSwitches / (double) (100 - pct)).isGreaterThan(5);
    }
}
