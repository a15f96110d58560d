package dev.ioasid.properties.concurrent;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a parallel run observed: a sequential prefix (each call alone, with its result), then the
 * calls several threads made at once on the same instance, with the real-time order of their
 * invocations and returns.
 */
public record History(Bounds bounds, List<Operation> prefix, List<Result> prefixResults, int threads, List<Call> calls) {

    public History {
        prefix = List.copyOf(prefix);
        prefixResults = List.copyOf(prefixResults);
        calls = List.copyOf(calls);
        if (prefix.size() != prefixResults.size()) {
            throw new IllegalArgumentException("a result for every call of the prefix");
        }
    }

    /** The calls of one thread, in its own order. */
    public List<Call> of(int thread) {
        return calls.stream().filter(c -> c.thread() == thread).sorted(Comparator.comparingInt(Call::index)).toList();
    }

    /** The prefix as numbered calls with their results, then the concurrent calls as lanes: a failure as people read it. */
    public String drawn() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < prefix.size(); i++) {
            out.append(String.format("  %d. %s -> %s%n", i + 1, prefix.get(i), prefixResults.get(i)));
        }
        out.append("then at once:\n");
        lanes().lines().forEach(l -> out.append("  ").append(l).append('\n'));
        return out.toString();
    }

    /**
     * The history as lanes, one column per thread, one row per event (a call's invocation and its
     * return) in real-time order: what people read to see which calls overlapped.
     */
    public String lanes() {
        List<long[]> events = new ArrayList<>(); // {time, call index, 0 invoke / 1 return}
        for (int i = 0; i < calls.size(); i++) {
            events.add(new long[] {calls.get(i).invoked(), i, 0});
            events.add(new long[] {calls.get(i).returned(), i, 1});
        }
        events.sort(Comparator.comparingLong(e -> e[0]));
        int width = 44;
        StringBuilder out = new StringBuilder();
        for (int t = 0; t < threads; t++) {
            out.append(String.format("%-" + width + "s", "thread " + (t + 1)));
        }
        out.append('\n');
        for (long[] e : events) {
            Call c = calls.get((int) e[1]);
            if (e[2] == 1 && c.result() == null) {
                continue;
            }
            String text = e[2] == 0 ? c.name() + " " + c.op() : c.name() + " -> " + c.result();
            text = text.length() > width - 2 ? text.substring(0, width - 3) + "…" : text;
            out.append(" ".repeat(width * c.thread())).append(text).append('\n');
        }
        return out.toString();
    }
}
