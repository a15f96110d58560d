package dev.ioasid.properties.concurrent;

import dev.ioasid.contract.Bounds;

/**
 * A parallel property run: {@code tries} histories, each a sequential prefix of {@code prefix} calls
 * and then {@code threads} threads of {@code calls} calls each on the same instance; under a
 * controlled scheduler (deterministic: the seed decides every switch) or on free-running threads
 * (stress: the machine decides); shrinking a failure for at most {@code shrinkSeconds} (0: no limit).
 */
public record ParallelConfig(Bounds bounds, int tries, int prefix, int threads, int calls, long seed, boolean controlled,
                             double shrinkSeconds) {

    /** No limit on the time shrinking takes. */
    public ParallelConfig(Bounds bounds, int tries, int prefix, int threads, int calls, long seed, boolean controlled) {
        this(bounds, tries, prefix, threads, calls, seed, controlled, 0);
    }

    public ParallelConfig {
        if (tries < 1 || prefix < 0 || threads < 2 || threads > 4 || calls < 1 || threads * calls > 62) {
            throw new IllegalArgumentException("tries >= 1, prefix >= 0, 2 to 4 threads, calls >= 1 and at most 62 "
                    + "concurrent calls in all; was tries=" + tries + " prefix=" + prefix + " threads=" + threads
                    + " calls=" + calls);
        }
        if (!(shrinkSeconds >= 0) || Double.isInfinite(shrinkSeconds)) {
            throw new IllegalArgumentException("the shrinking time limit must be 0 (none) or a number of seconds, was "
                    + shrinkSeconds);
        }
    }

    /**
     * Small bounds, so that the threads' calls meet on the same objects and points: one VM, a vfio-pci
     * and a vDPA device with PRI, room for four objects, one page of everything (the explorer's).
     */
    public static Bounds defaultBounds() {
        return Bounds.small();
    }

    public static ParallelConfig defaults() {
        return new ParallelConfig(defaultBounds(), 2000, 6, 2, 4, dev.ioasid.properties.PropertyConfig.DEFAULT_SEED, true);
    }

    /** The shape of each history and who decides the interleaving, as a run's summary says it. */
    public String describeShape() {
        return String.format("prefix %d random calls, in %d tries of 10 then up to %d more steered to fault queues on "
                        + "every PRI device, a group queued or awaiting its response, or a cached translation; "
                        + "%d threads x %d calls; %s", prefix, PrefixGoal.STEERED_OF_10, PrefixGoal.STEERING_CALLS, threads,
                calls, controlled ? "controlled scheduler (the seed decides every switch: uniform or PCT)"
                        : "free-running threads (stress: the machine decides)");
    }

    public ParallelConfig withTries(int n) {
        return new ParallelConfig(bounds, n, prefix, threads, calls, seed, controlled, shrinkSeconds);
    }

    public ParallelConfig withSeed(long s) {
        return new ParallelConfig(bounds, tries, prefix, threads, calls, s, controlled, shrinkSeconds);
    }

    public ParallelConfig withShape(int prefixCalls, int threadCount, int callsEach) {
        return new ParallelConfig(bounds, tries, prefixCalls, threadCount, callsEach, seed, controlled, shrinkSeconds);
    }

    public ParallelConfig withBounds(Bounds b) {
        return new ParallelConfig(b, tries, prefix, threads, calls, seed, controlled, shrinkSeconds);
    }

    public ParallelConfig stress() {
        return new ParallelConfig(bounds, tries, prefix, threads, calls, seed, false, shrinkSeconds);
    }
}
