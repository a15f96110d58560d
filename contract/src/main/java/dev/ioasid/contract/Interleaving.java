package dev.ioasid.contract;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Where an implementation lets other threads in: the points at which a checker's controlled
 * scheduler may switch threads, and a lock that knows about that scheduler. Outside a controlled run
 * (every sequential check, a plain multi-threaded run) a point does nothing and the lock is a plain
 * lock, so an implementation that marks its points pays nothing for them.
 *
 * <p>A controlled run executes one thread at a time and switches only at points, in an order its
 * seed decides, as lincheck's model-checking mode does at the points it instruments: a race found
 * that way replays exactly from its seed. An implementation marks a point wherever a real one lets
 * other callers run: before taking a lock, and wherever it drops one mid-call.
 */
public final class Interleaving {

    /** The controlled scheduler of the calling thread: switches to another thread, or goes on. */
    public interface Scheduler {
        void point();

        /** This thread cannot go on until another runs (a lock it waits for is taken): let another run. */
        default void blocked() {
            point();
        }
    }

    private static final ThreadLocal<Scheduler> CURRENT = new ThreadLocal<>();
    /** The mutex this thread holds, if any: {@link #letGo()} drops and retakes it. */
    private static final ThreadLocal<Mutex> HELD = new ThreadLocal<>();

    private Interleaving() {
    }

    /** A place where another thread may run before this one goes on. */
    public static void point() {
        Scheduler scheduler = CURRENT.get();
        if (scheduler != null) {
            scheduler.point();
        }
    }

    /**
     * Where kernel code drops its lock midway through a call (to sleep, to call out) and takes it
     * again: the lock this thread holds is let go, other threads may run, and it is taken back. With
     * no lock held it is a plain point. Correct code re-checks what it saw before; a planted race
     * does not.
     */
    public static void letGo() {
        Mutex held = HELD.get();
        if (held == null) {
            point();
            return;
        }
        held.unlock();
        point();
        held.lock();
    }

    /** Runs {@code body} on this thread under {@code scheduler}: its points are the scheduler's. */
    public static void runUnder(Scheduler scheduler, Runnable body) {
        CURRENT.set(scheduler);
        try {
            body.run();
        } finally {
            CURRENT.remove();
        }
    }

    /**
     * A mutual-exclusion lock: under a controlled scheduler, a thread that finds it taken yields its
     * turn (a point) until the holder, which then runs, lets it go; otherwise a plain lock.
     */
    public static final class Mutex {
        private final ReentrantLock lock = new ReentrantLock();

        public void lock() {
            if (CURRENT.get() == null) {
                lock.lock();
            } else {
                while (!lock.tryLock()) {
                    CURRENT.get().blocked();
                }
            }
            HELD.set(this);
        }

        public void unlock() {
            HELD.remove();
            lock.unlock();
        }
    }
}
