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
}
