package dev.ioasid.explorer;

import dev.ioasid.contract.ImplementationBroke;
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

    /** @param depth the length of the longest path whose state had every transition checked */
    public record Conforms(long states, long transitions, double seconds, boolean exhausted, int depth) implements Verdict {
    }

    public record Mismatch(long states, long transitions, double seconds, Trace trace) implements Verdict {
    }

    private record Node(ModelState state, List<Operation> path) {
    }

    private Conformance() {
    }

    public static Verdict check(ExploreConfig config, ImplementationFactory factory) {
        return check(config, factory, states -> { });
    }

    /** @param statesDone told how many states have had every transition checked, after each one */
    public static Verdict check(ExploreConfig config, ImplementationFactory factory, java.util.function.LongConsumer statesDone) {
        long started = System.nanoTime();
        LongHashSet visited = new LongHashSet(1024);
        ModelState initial = Model.initial(config.bounds(), config.design());
        visited.add(Fingerprint.keepingEveryFlag(initial));
        List<Node> level = List.of(new Node(initial, List.of()));
        long transitions = 0;
        long expanded = 0;
        int depth = 0;
        while (!level.isEmpty()) {
            List<Node> next = new ArrayList<>();
            for (Node node : level) {
                for (Operation op : Actions.of(node.state(), true, config.groupRequests())) {
                    transitions++;
                    IoasidImplementation impl;
                    Result observed;
                    try {
                        // The path and the operation at once (results of the path were checked when it was found).
                        impl = factory.create(config.bounds());
                        List<Operation> pathAndOp = new ArrayList<>(node.path());
                        pathAndOp.add(op);
                        observed = impl.applyAll(pathAndOp).get(pathAndOp.size() - 1);
                    } catch (ImplementationBroke e) {
                        return crashed(config, factory, node, op, "the implementation broke the protocol at " + op + ": "
                                + e.getMessage(), transitions, started, expanded);
                    } catch (RuntimeException e) {
                        return crashed(config, factory, node, op, op + " crashed the implementation: " + e,
                                transitions, started, expanded);
                    }
                    Transition transition = Model.step(node.state(), op);
                    Option<Transition.Step> accepted = transition.accept(observed);
                    if (accepted.isEmpty()) {
                        return mismatch(config, factory, node, op, observed, transition.expected(), transitions, started,
                                expanded);
                    }
                    ModelState after = accepted.get().next();
                    // Every query at once: an implementation in another process answers them without a round trip each.
                    List<Operation> queries = Actions.queries(config.bounds());
                    List<Operation> pathToAfter = new ArrayList<>(node.path());
                    pathToAfter.add(op);
                    List<Result> seen;
                    try {
                        seen = impl.applyAll(queries);
                    } catch (RuntimeException e) {
                        Operation query = e instanceof ImplementationBroke broke && broke.at() != null ? broke.at()
                                : firstThrowing(factory, config, pathToAfter, queries);
                        String what = e instanceof ImplementationBroke ? "the implementation broke the protocol at "
                                + query + ": " + e.getMessage() : query + " crashed the implementation: " + e;
                        return crashed(config, factory, new Node(after, pathToAfter), query, what, transitions, started,
                                expanded);
                    }
                    for (int q = 0; q < queries.size(); q++) {
                        Transition asked = Model.step(after, queries.get(q));
                        if (asked.accept(seen.get(q)).isEmpty()) {
                            return mismatch(config, factory, new Node(after, pathToAfter), queries.get(q), seen.get(q),
                                    asked.expected(), transitions, started, expanded);
                        }
                    }
                    if (after != node.state() && visited.add(Fingerprint.keepingEveryFlag(after))) {
                        List<Operation> path = new ArrayList<>(node.path());
                        path.add(op);
                        next.add(new Node(after, path));
                    }
                }
                statesDone.accept(expanded + 1);
                depth = Math.max(depth, node.path().size());
                if (++expanded >= config.maxStates()) {
                    return new Conforms(expanded, transitions, seconds(started), false, depth);
                }
            }
            level = next;
        }
        return new Conforms(expanded, transitions, seconds(started), true, depth);
    }

    /**
     * Which of the queries made the implementation throw, asked one by one after the same path
     * (only on the way to a report); the first one if it does not throw again.
     */
    private static Operation firstThrowing(ImplementationFactory factory, ExploreConfig config, List<Operation> path,
                                           List<Operation> queries) {
        try {
            IoasidImplementation impl = replay(factory, config, path);
            for (Operation query : queries) {
                try {
                    impl.apply(query);
                } catch (RuntimeException e) {
                    return query;
                }
            }
        } catch (RuntimeException e) {
            // it broke on the way there this time: nothing more to learn
        }
        return queries.get(0);
    }

    private static IoasidImplementation replay(ImplementationFactory factory, ExploreConfig config, List<Operation> path) {
        IoasidImplementation impl = factory.create(config.bounds());
        impl.applyAll(path);
        return impl;
    }

    /** The path to the state, then the failing operation, each step with what was observed and expected. */
    private static Mismatch mismatch(ExploreConfig config, ImplementationFactory factory, Node node, Operation failing,
                                     Result observed, String expected, long transitions, long started, long states) {
        List<TraceStep> steps = new ArrayList<>();
        ModelState s = pathSteps(config, node, steps, factory.create(config.bounds()));
        List<String> rules = Model.step(s, failing).rules().map(Rule::id).toJavaList();
        steps.add(new TraceStep(failing, observed, expected, rules, List.of()));
        String headline = failing + " returned " + observed + ", expected " + expected + " by " + String.join(", ", rules);
        Trace trace = new Trace("conform", factory.name(), config.bounds(), OptionalLong.empty(), headline, rules,
                steps.size() - 1, steps);
        return new Mismatch(states, transitions, seconds(started), trace);
    }

    /**
     * The implementation threw or broke the protocol at {@code failing}: the trace is the path that
     * reached the state, as the implementation answered it once more, or, if it breaks again on the
     * way, as the model answers it.
     */
    private static Mismatch crashed(ExploreConfig config, ImplementationFactory factory, Node node, Operation failing,
                                    String what, long transitions, long started, long states) {
        List<TraceStep> steps = new ArrayList<>();
        try {
            pathSteps(config, node, steps, factory.create(config.bounds()));
        } catch (RuntimeException again) {
            steps.clear();
            pathSteps(config, node, steps, null);
        }
        steps.add(TraceStep.unanswered(failing));
        Trace trace = new Trace("conform", factory.name(), config.bounds(), OptionalLong.empty(), what, List.of(),
                steps.size() - 1, steps);
        return new Mismatch(states, transitions, seconds(started), trace);
    }

    /**
     * The steps of the path to a node, as the implementation answers them ({@code impl}) or, without
     * one, as the model does (conformance reached the node, so both agree there); the state reached.
     */
    private static ModelState pathSteps(ExploreConfig config, Node node, List<TraceStep> steps, IoasidImplementation impl) {
        ModelState s = Model.initial(config.bounds(), config.design());
        for (Operation op : node.path()) {
            Transition transition = Model.step(s, op);
            Transition.Step step = impl == null ? transition.canonical() : transition.accept(impl.apply(op)).get();
            steps.add(new TraceStep(op, step.result(), transition.expected(), step.rules().map(Rule::id).toJavaList(),
                    dev.ioasid.model.StateDiff.changes(s, step.next())));
            s = step.next();
        }
        return s;
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
