package dev.ioasid.explorer;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import dev.ioasid.model.Transition;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceStep;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Conformance mode: every transition of every model state reachable within the bounds (queries and
 * DMA included), checked against an implementation. A state is reached in the implementation by
 * replaying its path on a fresh instance; the operation is applied; the model must allow what the
 * implementation returns; then every query is asked of the same instance, so that an operation
 * that failed as it should but broke something on its way out is caught at once. States are explored breadth first, following the implementation's own
 * choices (the IDs it hands out), so the first mismatch comes back as a shortest trace.
 * Implementations must be deterministic, as replay needs.
 */
public final class Conformance {

    /** What a conformance run found; {@code states} counts the states whose every transition was checked. */
    public sealed interface Verdict {
        long states();

        long transitions();

        double seconds();
    }

    public record Conforms(long states, long transitions, double seconds, boolean exhausted) implements Verdict {
    }

    public record Mismatch(long states, long transitions, double seconds, Trace trace) implements Verdict {
    }

    private record Node(ModelState state, List<Operation> path) {
    }

    private Conformance() {
    }

    public static Verdict check(ExploreConfig config, ImplementationFactory factory) {
        long started = System.nanoTime();
        LongHashSet visited = new LongHashSet(1024);
        ModelState initial = Model.initial(config.bounds(), config.design());
        visited.add(Fingerprint.keepingEveryFlag(initial));
        List<Node> level = List.of(new Node(initial, List.of()));
        long transitions = 0;
        long expanded = 0;
        while (!level.isEmpty()) {
            List<Node> next = new ArrayList<>();
            for (Node node : level) {
                for (Operation op : Actions.of(node.state(), true, config.groupRequests())) {
                    transitions++;
                    IoasidImplementation impl = replay(factory, config, node.path());
                    Result observed;
                    try {
                        observed = impl.apply(op);
                    } catch (RuntimeException e) {
                        return mismatch(config, factory, node, op, null, e.toString(), transitions, started, expanded);
                    }
                    Transition transition = Model.step(node.state(), op);
                    Option<Transition.Step> accepted = transition.accept(observed);
                    if (accepted.isEmpty()) {
                        return mismatch(config, factory, node, op, observed, transition.expected(), transitions, started,
                                expanded);
                    }
                    ModelState after = accepted.get().next();
                    for (Operation query : Actions.queries(config.bounds())) {
                        Result seen = impl.apply(query);
                        Transition asked = Model.step(after, query);
                        if (asked.accept(seen).isEmpty()) {
                            List<Operation> path = new ArrayList<>(node.path());
                            path.add(op);
                            return mismatch(config, factory, new Node(after, path), query, seen, asked.expected(),
                                    transitions, started, expanded);
                        }
                    }
                    if (after != node.state() && visited.add(Fingerprint.keepingEveryFlag(after))) {
                        List<Operation> path = new ArrayList<>(node.path());
                        path.add(op);
                        next.add(new Node(after, path));
                    }
                }
                if (++expanded >= config.maxStates()) {
                    return new Conforms(expanded, transitions, seconds(started), false);
                }
            }
            level = next;
        }
        return new Conforms(expanded, transitions, seconds(started), true);
    }

    private static IoasidImplementation replay(ImplementationFactory factory, ExploreConfig config, List<Operation> path) {
        IoasidImplementation impl = factory.create(config.bounds());
        for (Operation op : path) {
            impl.apply(op);
        }
        return impl;
    }

    /** The path to the state, then the failing operation, each step with what was observed and expected. */
    private static Mismatch mismatch(ExploreConfig config, ImplementationFactory factory, Node node, Operation failing,
                                     Result observed, String expected, long transitions, long started, long states) {
        List<TraceStep> steps = new ArrayList<>();
        IoasidImplementation impl = factory.create(config.bounds());
        ModelState s = Model.initial(config.bounds(), config.design());
        for (Operation op : node.path()) {
            Result result = impl.apply(op);
            Transition.Step step = Model.step(s, op).accept(result).get();
            steps.add(new TraceStep(op, result, Model.step(s, op).expected(), step.rules().map(Rule::id).toJavaList(),
                    dev.ioasid.model.StateDiff.changes(s, step.next())));
            s = step.next();
        }
        Transition transition = Model.step(s, failing);
        List<String> rules = transition.rules().map(Rule::id).toJavaList();
        Result shown = observed != null ? observed : Result.failed(dev.ioasid.contract.Errno.EINVAL);
        steps.add(new TraceStep(failing, shown, expected, rules, List.of()));
        String headline = observed != null
                ? failing + " returned " + observed + ", expected " + expected + " by " + String.join(", ", rules)
                : failing + " crashed the implementation: " + expected;
        Trace trace = new Trace("conform", factory.name(), config.bounds(), OptionalLong.empty(), headline, rules,
                steps.size() - 1, steps);
        return new Mismatch(states, transitions, seconds(started), trace);
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
