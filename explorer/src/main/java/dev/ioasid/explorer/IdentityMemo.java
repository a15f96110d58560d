package dev.ioasid.explorer;

import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A small per-thread cache of hashes of immutable values, keyed by identity. A successor state shares
 * every object and map its operation did not touch with its parent, and the explorer fingerprints
 * dozens of successors of each state, so most hashes it needs were computed a moment ago. Direct
 * mapped: a slot holds the last value that hashed to it; a miss just recomputes. The values are
 * immutable and the functions pure, so a hit returns exactly what recomputing would.
 */
final class IdentityMemo {
    private static final int SLOTS = 1 << 12;
    private static final ThreadLocal<IdentityMemo> PER_THREAD = ThreadLocal.withInitial(IdentityMemo::new);

    private final Object[] keys = new Object[SLOTS];
    private final Object[] functions = new Object[SLOTS];
    private final long[] hashes = new long[SLOTS];
    private final Object[] derivedKeys = new Object[SLOTS];
    private final Object[] derivedFunctions = new Object[SLOTS];
    private final Object[] derivedValues = new Object[SLOTS];

    private IdentityMemo() {
    }

    static IdentityMemo current() {
        return PER_THREAD.get();
    }

    /** {@code hash.applyAsLong(value)}, remembered for this very value (and this very function). */
    <T> long part(T value, ToLongFunction<T> hash) {
        int slot = slot(value, hash);
        if (keys[slot] == value && functions[slot] == hash) {
            return hashes[slot];
        }
        long h = hash.applyAsLong(value);
        keys[slot] = value;
        functions[slot] = hash;
        hashes[slot] = h;
        return h;
    }

    /**
     * {@code build.apply(source)}, remembered for this very {@code value} (and this very function):
     * {@code value} is what the result is a pure function of, {@code source} what it is built from.
     * The result is shared, so it must never be written once built.
     */
    @SuppressWarnings("unchecked")
    <S, R> R derived(Object value, S source, Function<S, R> build) {
        int slot = slot(value, build);
        if (derivedKeys[slot] == value && derivedFunctions[slot] == build) {
            return (R) derivedValues[slot];
        }
        R result = build.apply(source);
        derivedKeys[slot] = value;
        derivedFunctions[slot] = build;
        derivedValues[slot] = result;
        return result;
    }

    /**
     * The slot of a value for a function: both count, as one value can be hashed by several functions
     * (the empty persistent map is one object, shared by every empty map of a state).
     */
    private static int slot(Object value, Object function) {
        return (System.identityHashCode(value) + 31 * System.identityHashCode(function)) & (SLOTS - 1);
    }
}
