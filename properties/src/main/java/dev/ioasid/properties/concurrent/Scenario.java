package dev.ioasid.properties.concurrent;

import dev.ioasid.contract.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * What a parallel try runs: the prefix, each thread's calls, and the seed of the controlled
 * scheduler's switches. Shrinking makes smaller scenarios of it.
 */
public record Scenario(List<Operation> prefix, List<List<Operation>> threads, long scheduleSeed) {

    public Scenario {
        prefix = List.copyOf(prefix);
        threads = threads.stream().map(List::copyOf).toList();
    }

    public int size() {
        return prefix.size() + threads.stream().mapToInt(List::size).sum();
    }

    /**
     * Without the call at {@code index} of {@code thread}; null if that empties the thread. (A prefix
     * call is taken out by the engine, which renames the IDs the calls after it name.)
     */
    Scenario without(int thread, int index) {
        if (threads.get(thread).size() == 1) {
            return null;
        }
        List<List<Operation>> t = new ArrayList<>(threads);
        List<Operation> shorter = new ArrayList<>(t.get(thread));
        shorter.remove(index);
        t.set(thread, shorter);
        return new Scenario(prefix, t, scheduleSeed);
    }

    /** With {@code call} in place of the call at {@code index} of {@code thread}. */
    Scenario with(int thread, int index, Operation call) {
        List<List<Operation>> t = new ArrayList<>(threads);
        List<Operation> changed = new ArrayList<>(t.get(thread));
        changed.set(index, call);
        t.set(thread, changed);
        return new Scenario(prefix, t, scheduleSeed);
    }

    /** Without a whole thread, if more than two remain. */
    Scenario withoutThread(int thread) {
        if (threads.size() <= 2) {
            return null;
        }
        List<List<Operation>> t = new ArrayList<>(threads);
        t.remove(thread);
        return new Scenario(prefix, t, scheduleSeed);
    }

    Scenario withScheduleSeed(long seed) {
        return new Scenario(prefix, threads, seed);
    }
}
