package dev.ioasid.properties.concurrent;

import dev.ioasid.contract.Interleaving;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a few threads one at a time, switching only at {@link Interleaving#point()}s, to the thread
 * its seed picks: the same seed, threads and implementation give the same interleaving, so a race
 * found replays exactly. Each switch hands the turn over under one lock, which also makes each
 * thread's writes visible to the next.
 */
final class ControlledScheduler implements Interleaving.Scheduler {
    /** Switches after which a run is taken to be stuck (a lock never released, say). */
    static final int MAX_SWITCHES = 200_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition turnChanged = lock.newCondition();
    private final SplittableRandom random;
    private final boolean[] finished;
    private final ThreadLocal<Integer> self = new ThreadLocal<>();
    private int turn;
    private int switches;
    private boolean stuck;

    ControlledScheduler(int threads, long seed) {
        this.random = new SplittableRandom(seed);
        this.finished = new boolean[threads];
        this.turn = random.nextInt(threads);
    }

    /** Called first on each thread: waits for this thread's first turn. */
    void enter(int thread) throws InterruptedException {
        self.set(thread);
        lock.lock();
        try {
            awaitTurn(thread);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void point() {
        int me = self.get();
        lock.lock();
        try {
            if (++switches > MAX_SWITCHES) {
                stuck = true;
                throw new StuckRun();
            }
            pickNext();
            awaitTurn(me);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StuckRun();
        } finally {
            lock.unlock();
        }
    }

    /** Called last on each thread: hands the turn to another thread still running. */
    void exit(int thread) {
        lock.lock();
        try {
            finished[thread] = true;
            pickNext();
        } finally {
            lock.unlock();
        }
    }

    boolean stuck() {
        return stuck;
    }

    /** The next turn: a thread still running, chosen by the seed (possibly the same one). */
    private void pickNext() {
        int running = 0;
        for (boolean f : finished) {
            running += f ? 0 : 1;
        }
        if (running == 0) {
            return;
        }
        int pick = random.nextInt(running);
        for (int t = 0; t < finished.length; t++) {
            if (!finished[t] && pick-- == 0) {
                turn = t;
                break;
            }
        }
        turnChanged.signalAll();
    }

    private void awaitTurn(int me) throws InterruptedException {
        while (turn != me && !stuck) {
            if (!turnChanged.await(10, TimeUnit.SECONDS)) {
                stuck = true;
            }
        }
        if (stuck) {
            throw new StuckRun();
        }
    }

    /** The run made no progress: every thread is stopped and the run reported as stuck. */
    static final class StuckRun extends RuntimeException {
        StuckRun() {
            super("the threads made no progress (a lock never released?)", null, false, false);
        }
    }
}
