package dev.ioasid.properties.concurrent;

import dev.ioasid.contract.MayBeAbsent;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;

/**
 * One call of a concurrent history: the thread that made it (0-based), its place in that thread's
 * calls, what it returned, and when it was invoked and when it returned, on one clock all threads
 * share. {@code result} is absent (null) where the implementation threw; the call then never returned.
 */
public record Call(int thread, int index, Operation op, @MayBeAbsent Result result, long invoked, long returned) {

    /** Whether this call returned before {@code other} was invoked: then it comes first in every linearization. */
    public boolean precedes(Call other) {
        return returned < other.invoked;
    }

    /** {@code t1.3} for the fourth call of the second thread: how people read a history. */
    public String name() {
        return "t" + (thread + 1) + "." + (index + 1);
    }
}
