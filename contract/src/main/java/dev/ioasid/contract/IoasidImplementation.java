package dev.ioasid.contract;

/**
 * An implementation of the contract, seen as a black box: one operation in, one result out. The
 * reference implementation, the planted-bug variants and any alternate implementation implement it.
 * An implementation instance starts in the initial state of the {@link Bounds} it was made for.
 */
public interface IoasidImplementation {

    Result apply(Operation op);

    /**
     * Several operations in order, their results in order: the same as applying them one by one,
     * which is what this default does. An adapter to another process overrides it to send them all
     * before reading the answers; conformance checking uses it where it knows every operation ahead.
     */
    default java.util.List<Result> applyAll(java.util.List<Operation> ops) {
        java.util.List<Result> results = new java.util.ArrayList<>(ops.size());
        for (Operation op : ops) {
            results.add(apply(op));
        }
        return results;
    }

    /**
     * A way back to this instance's present state, if the implementation offers one (PROTOCOL.md,
     * {@code snapshot} and {@code restore}); empty by default. Conformance checking takes one right
     * after it reaches a state and goes back to it before each call that changes the state, instead
     * of replaying the state's path on a fresh instance: the same thing, cheaper over a process
     * boundary. Without one, it replays.
     */
    default java.util.Optional<Snapshot> snapshot() {
        return java.util.Optional.empty();
    }

    /** A saved state of one instance, which may be gone back to any number of times. */
    interface Snapshot {
        /** Makes the instance that gave this snapshot what it was when it gave it. */
        void restore();
    }
}
