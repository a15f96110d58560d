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
 *
 * <p>The seed picks one of two policies. Half the runs pick the next thread uniformly at every
 * point. The other half follow PCT (Burckhardt, Kothari, Musuvathi and Nagarakatte, "A randomized
 * scheduler with probabilistic guarantees of finding bugs", ASPLOS 2010): the threads get random
 * priorities, the highest-priority thread runs until it blocks, and at one or two random points the
 * running thread drops below all others. A race that needs one thread to run whole calls inside
 * another's gap (a lock let go midway) needs one such drop at the right point, which PCT makes with
 * probability about one in the number of points, where uniform switching must also avoid switching
 * back at each point in the gap.
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

    /** PCT: each thread's priority (higher runs), or null under uniform switching. */
    private final int[] priority;
    /** PCT: the points (counted from 1) at which the running thread drops to priority i + 1, lowest first. */
    private final int[] dropAt;
    private int points;

    /**
     * @param expectedPoints about how many points a run passes (PCT spreads its drops over them):
     *                       the number of calls the threads make, and a few more
     */
    ControlledScheduler(int threads, long seed, int expectedPoints) {
        this.random = new SplittableRandom(seed);
        this.finished = new boolean[threads];
        if (random.nextBoolean()) {
            this.priority = null;
            this.dropAt = null;
            this.turn = random.nextInt(threads);
        } else {
            int drops = 1 + random.nextInt(2);
            this.dropAt = new int[drops];
            for (int i = 0; i < drops; i++) {
                dropAt[i] = 1 + random.nextInt(Math.max(1, expectedPoints));
            }
            this.priority = new int[threads];
            java.util.List<Integer> order = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                order.add(t);
            }
            java.util.Collections.shuffle(order, new java.util.Random(random.nextLong()));
            for (int t = 0; t < threads; t++) {
                priority[order.get(t)] = drops + 1 + t; // above every priority a drop gives
            }
            this.turn = highestRunning();
        }
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
        switchTurn(me -> {
            if (priority != null) {
                points++;
                for (int i = 0; i < dropAt.length; i++) {
                    if (dropAt[i] == points) {
                        priority[me] = i + 1;
                    }
                }
            }
            pickNext();
        });
    }

    /**
     * Waiting for a lock: under PCT another thread runs (one chosen at random, so that threads all
     * waiting do not hand the turn back and forth), since the highest would be this one again.
     */
    @Override
    public void blocked() {
        if (priority == null) {
            point();
            return;
        }
        switchTurn(me -> {
            java.util.List<Integer> others = new java.util.ArrayList<>();
            for (int t = 0; t < finished.length; t++) {
                if (!finished[t] && t != me) {
                    others.add(t);
                }
            }
            if (!others.isEmpty()) {
                turn = others.get(random.nextInt(others.size()));
                turnChanged.signalAll();
            }
        });
    }

    /** One switch: under the lock, {@code pick} sets the next turn; then this thread waits for its own. */
    private void switchTurn(java.util.function.IntConsumer pick) {
        int me = self.get();
        lock.lock();
        try {
            if (++switches > MAX_SWITCHES) {
                stuck = true;
                throw new StuckRun();
            }
            pick.accept(me);
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

    /** Whether this run follows PCT (else it switches uniformly at random). */
    boolean followsPct() {
        return priority != null;
    }

    /** The running thread of highest priority, or -1 if none runs. */
    private int highestRunning() {
        int best = -1;
        for (int t = 0; t < finished.length; t++) {
            if (!finished[t] && (best < 0 || priority[t] > priority[best])) {
                best = t;
            }
        }
        return best;
    }

    /** The next turn: a thread still running, the highest under PCT, else chosen by the seed (possibly the same one). */
    private void pickNext() {
        if (priority != null) {
            int next = highestRunning();
            if (next >= 0) {
                turn = next;
                turnChanged.signalAll();
            }
            return;
        }
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
