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
 * implementation returns; then every query and a read by DMA at every IOVA of every point (the
 * probes) are asked of the same instance, so that an operation that failed as it should but broke
 * something on its way out, or left a translation cached, is caught at once. The calls of a state
 * that change nothing in the model share one instance (see checkNode). States are explored breadth
 * first, following the implementation's own choices (the IDs it hands out), so the first mismatch
 * comes back as a shortest trace. Implementations must be deterministic, as replay needs.
 *
 * <p>What is assumed: that an implementation's state after a path depends on nothing but the path,
 * and, as the explorer does, that two model states equal up to a renaming of object IDs (symmetry)
 * are equally good at showing a mistake. What is not reached: implementation state the model has
 * no part of that only a later state-changing call would show (a cache filled by a DMA, kept
 * across a stage-1 rewrite and its invalidate): the paths of states hold only calls that change the
 * model's state. The property run covers that ground.
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
        /** The same model state, reached by a path with calls after it that the model says change nothing. */
        Node with(List<Operation> unchanged) {
            if (unchanged.isEmpty()) {
                return this;
            }
            List<Operation> longer = new ArrayList<>(path);
            longer.addAll(unchanged);
            return new Node(state, longer);
        }
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
        Counts counts = new Counts(started);
        int depth = 0;
        List<Operation> queries = probes(config.bounds());
        while (!level.isEmpty()) {
            List<Node> next = new ArrayList<>();
            for (Node node : level) {
                Option<Mismatch> found = checkNode(config, factory, node, queries, visited, next, counts);
                if (found.isDefined()) {
                    return found.get();
                }
                statesDone.accept(counts.expanded + 1);
                depth = Math.max(depth, node.path().size());
                if (++counts.expanded >= config.maxStates()) {
                    return new Conforms(counts.expanded, counts.transitions, seconds(started), false, depth);
                }
            }
            level = next;
        }
        return new Conforms(counts.expanded, counts.transitions, seconds(started), true, depth);
    }

    /** Transitions checked and states expanded so far, for the verdicts. */
    private static final class Counts {
        final long started;
        long transitions;
        long expanded;

        Counts(long started) {
            this.started = started;
        }
    }

    /**
     * Every transition of one state. The state is reached once on an instance (its path replayed);
     * the transitions the model says change nothing (an error, a query) are applied to that same
     * instance one after the other, and the probes are asked of it before a transition that changes
     * the state is applied to it, and after the last: an implementation that changed something it
     * should not have is caught there, then pinned to the one call that did it (each replayed alone
     * from the state, with the probes), so that the trace stays shortest. A transition that changes
     * the state uses the instance up: the probes are asked of it at once, and the next transition
     * starts from a fresh replay of the path. Every call an instance answered is in the trace of a
     * mismatch it shows, so the trace replays. (Before, every transition replayed the path on a
     * fresh instance.)
     */
    private static Option<Mismatch> checkNode(ExploreConfig config, ImplementationFactory factory, Node node,
                                              List<Operation> queries, LongHashSet visited, List<Node> next, Counts counts) {
        IoasidImplementation shared = null;
        List<Operation> unchanged = new ArrayList<>();
        for (Operation op : Actions.of(node.state(), true, config.groupRequests())) {
            counts.transitions++;
            Transition transition = Model.step(node.state(), op);
            boolean keepsTheState = transition instanceof Transition.Determined d && d.step().next() == node.state();
            if (!keepsTheState && shared != null && !unchanged.isEmpty()) {
                // Before the state moves on, what the calls so far left behind is checked: a later
                // call could hide it (a detach after a refused replace that detached already).
                Option<Mismatch> asked = askQueries(config, factory, shared, node.with(unchanged), queries, counts);
                if (asked.isDefined()) {
                    return Option.some(culprit(config, factory, node, unchanged, queries, counts).getOrElse(asked.get()));
                }
                // The instance has answered them: they are part of its history (a read by DMA fills
                // the IOTLB), and of any trace that reports what it does next.
                unchanged.addAll(queries);
            }
            Result observed;
            try {
                if (shared == null) {
                    shared = replay(factory, config, node.path());
                    unchanged.clear();
                }
                observed = shared.apply(op);
            } catch (ImplementationBroke e) {
                return Option.some(crashed(config, factory, node.with(unchanged), op, "the implementation broke the protocol at "
                        + op + ": " + e.getMessage(), counts.transitions, counts.started, counts.expanded));
            } catch (RuntimeException e) {
                return Option.some(crashed(config, factory, node.with(unchanged), op, op + " crashed the implementation: " + e,
                        counts.transitions, counts.started, counts.expanded));
            }
            Option<Transition.Step> accepted = transition.accept(observed);
            if (accepted.isEmpty()) {
                if (!unchanged.isEmpty()) {
                    // Shortest first: the call alone from the state, if it fails so too; else the
                    // earlier call that left something changed, as the queries show right after it.
                    Option<Result> alone = rejectedAlone(config, factory, node, op, transition);
                    if (alone.isDefined()) {
                        return Option.some(mismatch(config, factory, node, op, alone.get(), transition.expected(),
                                counts.transitions, counts.started, counts.expanded));
                    }
                    Option<Mismatch> culprit = culprit(config, factory, node, unchanged, queries, counts);
                    if (culprit.isDefined()) {
                        return culprit;
                    }
                }
                return Option.some(mismatch(config, factory, node.with(unchanged), op, observed, transition.expected(),
                        counts.transitions, counts.started, counts.expanded));
            }
            ModelState after = accepted.get().next();
            if (after == node.state()) {
                unchanged.add(op);
                continue;
            }
            List<Operation> pathToAfter = new ArrayList<>(node.path());
            pathToAfter.addAll(unchanged);
            pathToAfter.add(op);
            Option<Mismatch> asked = askQueries(config, factory, shared, new Node(after, pathToAfter), queries, counts);
            shared = null;
            if (asked.isDefined()) {
                // Shortest first: the same transition straight from the state, or after one of the
                // calls before it (a DMA that filled the IOTLB an unmap then forgot to flush).
                Option<Mismatch> shorter = unchanged.isEmpty() ? Option.none()
                        : askQueriesAlone(config, factory, node, List.of(op), queries, counts);
                for (int u = 0; shorter.isEmpty() && u < unchanged.size(); u++) {
                    shorter = askQueriesAlone(config, factory, node, List.of(unchanged.get(u), op), queries, counts);
                }
                return shorter.isDefined() ? shorter : asked;
            }
            if (visited.add(Fingerprint.keepingEveryFlag(after))) {
                List<Operation> path = new ArrayList<>(node.path());
                path.add(op);
                next.add(new Node(after, path));
            }
        }
        if (shared != null && !unchanged.isEmpty()) {
            Option<Mismatch> asked = askQueries(config, factory, shared, node.with(unchanged), queries, counts);
            if (asked.isDefined()) {
                return Option.some(culprit(config, factory, node, unchanged, queries, counts).getOrElse(asked.get()));
            }
        }
        return Option.none();
    }

    /**
     * The first of the calls the model says change nothing that, applied alone after the node's
     * path, is followed by a query the model rejects: the shortest trace of what they broke.
     */
    private static Option<Mismatch> culprit(ExploreConfig config, ImplementationFactory factory, Node node,
                                            List<Operation> unchanged, List<Operation> queries, Counts counts) {
        for (Operation op : unchanged) {
            Option<Mismatch> alone = askQueriesAlone(config, factory, node, List.of(op), queries, counts);
            if (alone.isDefined()) {
                return alone;
            }
        }
        return Option.none();
    }

    /** What {@code op} returns straight after the node's path, if the model rejects it (one replay). */
    private static Option<Result> rejectedAlone(ExploreConfig config, ImplementationFactory factory, Node node,
                                                Operation op, Transition transition) {
        try {
            Result observed = replay(factory, config, node.path()).apply(op);
            return transition.accept(observed).isEmpty() ? Option.some(observed) : Option.none();
        } catch (RuntimeException e) {
            return Option.none();
        }
    }

    /** The queries asked of the instance at {@code at} (its path already applied to it). */
    private static Option<Mismatch> askQueries(ExploreConfig config, ImplementationFactory factory, IoasidImplementation impl,
                                               Node at, List<Operation> queries, Counts counts) {
        List<Result> seen;
        try {
            // Every query at once: an implementation in another process answers them without a round trip each.
            seen = impl.applyAll(queries);
        } catch (RuntimeException e) {
            Operation query = e instanceof ImplementationBroke broke && broke.at() != null ? broke.at()
                    : firstThrowing(factory, config, at.path(), queries);
            String what = e instanceof ImplementationBroke ? "the implementation broke the protocol at "
                    + query + ": " + e.getMessage() : query + " crashed the implementation: " + e;
            return Option.some(crashed(config, factory, at, query, what, counts.transitions, counts.started, counts.expanded));
        }
        for (int q = 0; q < queries.size(); q++) {
            Transition asked = Model.step(at.state(), queries.get(q));
            if (asked.accept(seen.get(q)).isEmpty()) {
                return Option.some(mismatch(config, factory, at, queries.get(q), seen.get(q), asked.expected(),
                        counts.transitions, counts.started, counts.expanded));
            }
        }
        return Option.none();
    }

    /**
     * {@code op} applied straight after the node's path on a fresh instance, then the queries: the
     * shorter trace of a mismatch first seen after other calls. The model follows what the call
     * returns this time (an implementation may hand out other IDs without the calls before it).
     */
    private static Option<Mismatch> askQueriesAlone(ExploreConfig config, ImplementationFactory factory, Node node,
                                                    List<Operation> ops, List<Operation> queries, Counts counts) {
        try {
            IoasidImplementation impl = replay(factory, config, node.path());
            ModelState state = node.state();
            List<Operation> path = new ArrayList<>(node.path());
            for (Operation op : ops) {
                Result observed = impl.apply(op);
                Transition transition = Model.step(state, op);
                Option<Transition.Step> accepted = transition.accept(observed);
                if (accepted.isEmpty()) {
                    return Option.some(mismatch(config, factory, new Node(state, path), op, observed, transition.expected(),
                            counts.transitions, counts.started, counts.expanded));
                }
                state = accepted.get().next();
                path.add(op);
            }
            return askQueries(config, factory, impl, new Node(state, path), queries, counts);
        } catch (RuntimeException e) {
            return Option.none(); // it breaks only after other calls: the longer trace stands
        }
    }

    /**
     * What is asked after a transition: every query, and a read by DMA at every IOVA of every point
     * (a read changes nothing in the model, but shows a translation an implementation still caches).
     */
    static List<Operation> probes(dev.ioasid.contract.Bounds bounds) {
        return PROBES.computeIfAbsent(bounds, b -> {
            List<Operation> probes = new ArrayList<>(Actions.queries(b));
            for (dev.ioasid.contract.DeviceSpec device : b.devices()) {
                for (int pasid = dev.ioasid.contract.Pasid.NONE; pasid <= b.pasidMax(); pasid++) {
                    for (int iova = 0; iova < b.iovaPages(); iova++) {
                        probes.add(new Operation.Dma(device.id(), pasid, iova, dev.ioasid.contract.Access.READ));
                    }
                }
            }
            return List.copyOf(probes);
        });
    }

    private static final java.util.Map<dev.ioasid.contract.Bounds, List<Operation>> PROBES =
            new java.util.concurrent.ConcurrentHashMap<>();

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
