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
import io.vavr.control.Either;
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
 *
 * <p>Why the explorer's partial-order reduction is not used here. Sleep sets skip a transition
 * {@code b} at a state when {@code b} commutes with the call that led there: the state {@code b}
 * reaches is reached anyway, by the other order. That is sound for the model, where
 * {@code IndependenceTests} checks that independent calls commute. For an implementation it would
 * check {@code b} after one order only, and an implementation is exactly what may break
 * independence (a lock taken in one order, a cursor that moved, a flush a later call skips); a
 * conformance check that assumed it would pass the bugs it exists to find. The reduction would
 * also save only transitions, not states, and what a transition costs here is the replay before it,
 * which the bursts and snapshots already cut. What conformance does take from the explorer is the
 * symmetry reduction of states (implementation-chosen IDs renamed to canonical ones): two states
 * equal up to renaming are expanded once, which assumes only that an implementation treats IDs as
 * names, and every transition of the one expanded is checked.
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
        if (config.delivery().queues()) {
            // An implementation routes a group as it completes: only the model queues them (explore).
            throw new IllegalArgumentException("conformance checks atomic fault delivery, not " + config.delivery().cliName());
        }
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
     * Every transition of one state. The state is reached once on an instance (its path replayed).
     * The calls the model says change nothing (an error, a query) are sent to that instance in one
     * burst, followed by the probes: an implementation that changed something it should not have is
     * caught there, then pinned to the one call that did it (each replayed alone from the state,
     * with the probes), so that the trace stays shortest. Each call that changes the state is then
     * sent with the probes behind it, in one burst too: the first to that same instance, each later
     * one to the state got back, by the snapshot taken after that first burst where the
     * implementation offers snapshots (PROTOCOL.md), else by a fresh replay of the path and the
     * probes' reads by DMA. Either way the call meets an instance whose caches the reads filled, so
     * a call that forgets to flush one shows on the probes after it. Bursts matter over a process
     * boundary, where a round trip costs far more than a call (before, each call was one). Every
     * call an instance answered is in the trace of a mismatch it shows, so the trace replays.
     */
    private static Option<Mismatch> checkNode(ExploreConfig config, ImplementationFactory factory, Node node,
                                              List<Operation> queries, LongHashSet visited, List<Node> next, Counts counts) {
        Node initial = new Node(Model.initial(config.bounds(), config.design()), List.of());
        IoasidImplementation shared;
        List<Result> answered;
        try {
            shared = factory.create(config.bounds());
            answered = shared.applyAll(node.path());
        } catch (RuntimeException e) {
            // The path was answered as the model says when it was first walked: breaking on it now
            // is the implementation's own doing (it is not deterministic), shown on one more walk.
            return Option.some(brokeInBurst(config, factory, initial, List.of(), node.path(), e, counts));
        }
        // The state is the one the model reaches along the answers of this replay, not of the walk
        // that found the path: that walk's instance had answered other calls before the last one,
        // and an implementation may choose IDs and cookies by its history (a cursor that moved on a
        // refused call). Traces are replays of the path, so they must agree with this state.
        Node reached = initial;
        for (int i = 0; i < node.path().size(); i++) {
            Either<Mismatch, Node> walked = step(config, factory, reached, node.path().get(i), answered.get(i), counts);
            if (walked.isLeft()) {
                return Option.some(walked.getLeft());
            }
            reached = walked.get();
        }
        node = reached;
        List<Operation> keeping = new ArrayList<>();
        List<Operation> changing = new ArrayList<>();
        for (Operation op : Actions.of(node.state(), true, config.groupRequests())) {
            (keepsTheState(node.state(), op) ? keeping : changing).add(op);
        }
        Option<Mismatch> found = checkKeeping(config, factory, node, shared, keeping, queries, counts);
        if (found.isDefined()) {
            return found;
        }
        // What the shared instance answered after the path, and the same without the probes' queries:
        // the calls a culprit is sought among.
        List<Operation> kept = new ArrayList<>(keeping);
        kept.addAll(queries);
        List<Operation> history = new ArrayList<>(kept);
        List<Operation> calls = new ArrayList<>(keeping);
        IoasidImplementation first = shared;
        IoasidImplementation.Snapshot saved;
        try {
            saved = changing.size() > 1 ? shared.snapshot().orElse(null) : null;
        } catch (RuntimeException e) {
            // No call to name: the trace is the path and the calls answered, then the call that was next.
            return Option.some(crashed(config, factory, node.with(kept), changing.get(0),
                    "the implementation broke the protocol on a snapshot before " + changing.get(0) + ": " + e.getMessage(),
                    counts.transitions, counts.started, counts.expanded));
        }
        List<Operation> reads = reads(queries);
        boolean restored = false;
        for (Operation op : changing) {
            counts.transitions++;
            Transition transition = Model.step(node.state(), op);
            List<Operation> burst = new ArrayList<>(1 + queries.size());
            burst.add(op);
            burst.addAll(queries);
            List<Result> answers;
            try {
                if (shared == null) {
                    history.clear();
                    calls.clear();
                    if (saved != null) {
                        saved.restore();
                        shared = first;
                        restored = true;
                        history.addAll(kept);
                        calls.addAll(keeping);
                    } else {
                        // The reads by DMA fill what a cache can hold, as the calls before the
                        // first transition did: a call that forgets to flush shows on the probes.
                        List<Operation> again = new ArrayList<>(node.path());
                        again.addAll(reads);
                        shared = replay(factory, config, again);
                        restored = false;
                        history.addAll(reads);
                        calls.addAll(reads);
                    }
                }
                answers = shared.applyAll(burst);
            } catch (RuntimeException e) {
                return Option.some(brokeInBurst(config, factory, node, history, burst, e, counts));
            }
            Result observed = answers.get(0);
            Option<Transition.Step> accepted = transition.accept(observed);
            if (accepted.isEmpty()) {
                if (!history.isEmpty()) {
                    Option<Mismatch> shorter = shortestRejection(config, factory, node, calls, op, transition, queries, counts);
                    if (shorter.isDefined()) {
                        return shorter;
                    }
                }
                Mismatch seen = mismatch(config, factory, node.with(history), op, observed, transition.expected(),
                        counts.transitions, counts.started, counts.expanded);
                return Option.some(restored ? confirmedAfterRestore(config, factory, node, history, burst, seen, counts) : seen);
            }
            ModelState after = accepted.get().next();
            List<Operation> pathToAfter = new ArrayList<>(node.path());
            pathToAfter.addAll(history);
            pathToAfter.add(op);
            Option<Mismatch> asked = checkAnswers(config, factory, new Node(after, pathToAfter), queries,
                    answers.subList(1, answers.size()), counts);
            if (asked.isDefined()) {
                // Shortest first: the same transition straight from the state, or after one of the
                // calls before it (a DMA that filled the IOTLB an unmap then forgot to flush).
                Option<Mismatch> shorter = history.isEmpty() ? Option.none()
                        : askQueriesAlone(config, factory, node, List.of(op), queries, counts);
                for (Operation earlier : calls) {
                    if (shorter.isDefined()) {
                        break;
                    }
                    shorter = askQueriesAlone(config, factory, node, List.of(earlier, op), queries, counts);
                }
                return shorter.isDefined() ? shorter
                        : Option.some(restored ? confirmedAfterRestore(config, factory, node, history, burst, asked.get(), counts)
                        : asked.get());
            }
            if (after == node.state()) {
                // One of several legal answers kept the state (an error the model also allows):
                // the instance goes on, the call and the probes part of its history.
                history.add(op);
                history.addAll(queries);
                calls.add(op);
                continue;
            }
            shared = null;
            if (visited.add(Fingerprint.keepingEveryFlag(after))) {
                List<Operation> path = new ArrayList<>(node.path());
                path.add(op);
                next.add(new Node(after, path));
            }
        }
        return Option.none();
    }

    /**
     * A mismatch seen on an instance brought back by a snapshot is reported only if a fresh replay
     * of the same calls shows it too (a trace must replay); if it does not, the snapshot did not
     * bring the state back, which is the implementation breaking the protocol.
     */
    private static Mismatch confirmedAfterRestore(ExploreConfig config, ImplementationFactory factory, Node node,
                                                  List<Operation> history, List<Operation> burst, Mismatch seen,
                                                  Counts counts) {
        Option<Mismatch> again = oneAtATime(config, factory, node.with(history), burst, counts);
        if (again.isDefined()) {
            return again.get();
        }
        return crashed(config, factory, node.with(history), burst.get(0), "the implementation broke the protocol: after a"
                + " restore it answered " + seen.trace().headline() + ", but not so after a replay of the same calls;"
                + " its restore does not bring back the state its snapshot was taken of",
                counts.transitions, counts.started, counts.expanded);
    }

    /**
     * One call answered at {@code at}, as the model follows it: the node its answer leads to, or the
     * mismatch if the model rejects the answer (the trace: the path to {@code at}, then the call).
     */
    private static Either<Mismatch, Node> step(ExploreConfig config, ImplementationFactory factory, Node at,
                                               Operation call, Result observed, Counts counts) {
        Transition transition = Model.step(at.state(), call);
        Option<Transition.Step> accepted = transition.accept(observed);
        if (accepted.isEmpty()) {
            return Either.left(mismatch(config, factory, at, call, observed, transition.expected(),
                    counts.transitions, counts.started, counts.expanded));
        }
        List<Operation> path = new ArrayList<>(at.path());
        path.add(call);
        return Either.right(new Node(accepted.get().next(), path));
    }

    /**
     * The shortest trace of {@code op}, which the model rejected after the {@code earlier} calls on
     * the same instance: the call alone from the state, if it is rejected so too; else the first
     * earlier call that left something changed, as the queries show right after it, or as the call
     * itself shows right after it; none if none of these fails.
     */
    private static Option<Mismatch> shortestRejection(ExploreConfig config, ImplementationFactory factory, Node node,
                                                      List<Operation> earlier, Operation op, Transition transition,
                                                      List<Operation> queries, Counts counts) {
        Option<Result> alone = rejectedAlone(config, factory, node, op, transition);
        if (alone.isDefined()) {
            return Option.some(mismatch(config, factory, node, op, alone.get(), transition.expected(),
                    counts.transitions, counts.started, counts.expanded));
        }
        Option<Mismatch> culprit = culprit(config, factory, node, earlier, queries, counts);
        return culprit.isDefined() ? culprit : afterOneOf(config, factory, node, earlier, op, counts);
    }

    /** The probes that read by DMA. */
    private static List<Operation> reads(List<Operation> probes) {
        return probes.stream().filter(p -> p instanceof Operation.Dma).toList();
    }

    /** Whether the model says {@code op} changes nothing at {@code state}, whatever the implementation chooses. */
    private static boolean keepsTheState(ModelState state, Operation op) {
        return Model.step(state, op) instanceof Transition.Determined d && d.step().next() == state;
    }

    /**
     * The calls that keep the state, in one burst with the probes after them, on the instance that
     * reached the node; a mismatch pinned to the one call that caused it.
     */
    private static Option<Mismatch> checkKeeping(ExploreConfig config, ImplementationFactory factory, Node node,
                                                 IoasidImplementation impl, List<Operation> keeping,
                                                 List<Operation> queries, Counts counts) {
        List<Operation> burst = new ArrayList<>(keeping.size() + queries.size());
        burst.addAll(keeping);
        burst.addAll(queries);
        List<Result> answers;
        try {
            answers = impl.applyAll(burst);
        } catch (RuntimeException e) {
            counts.transitions += keeping.size();
            return Option.some(brokeInBurst(config, factory, node, List.of(), burst, e, counts));
        }
        for (int k = 0; k < keeping.size(); k++) {
            counts.transitions++;
            Operation op = keeping.get(k);
            Transition transition = Model.step(node.state(), op);
            Result observed = answers.get(k);
            if (transition.accept(observed).isEmpty()) {
                List<Operation> before = keeping.subList(0, k);
                if (!before.isEmpty()) {
                    Option<Mismatch> shorter = shortestRejection(config, factory, node, before, op, transition, queries, counts);
                    if (shorter.isDefined()) {
                        return shorter;
                    }
                }
                return Option.some(mismatch(config, factory, node.with(before), op, observed, transition.expected(),
                        counts.transitions, counts.started, counts.expanded));
            }
        }
        Option<Mismatch> asked = checkAnswers(config, factory, node.with(keeping), queries,
                answers.subList(keeping.size(), answers.size()), counts);
        if (asked.isDefined()) {
            return Option.some(culprit(config, factory, node, keeping, queries, counts).getOrElse(asked.get()));
        }
        return Option.none();
    }

    /**
     * A burst of calls broke the implementation (it threw, or a process broke the protocol) after
     * the node's path and the history the instance had answered: the calls are asked again one at a
     * time on a fresh replay, so that the report names the call that broke and shows what came
     * before it, without the history first (shortest), then with it; if nothing breaks this time,
     * the call the first failure named (or the burst's first) is reported.
     */
    private static Mismatch brokeInBurst(ExploreConfig config, ImplementationFactory factory, Node node,
                                         List<Operation> history, List<Operation> burst, RuntimeException first,
                                         Counts counts) {
        Option<Mismatch> again = oneAtATime(config, factory, node, burst, counts);
        if (again.isEmpty() && !history.isEmpty()) {
            again = oneAtATime(config, factory, node.with(history), burst, counts);
        }
        if (again.isDefined()) {
            return again.get();
        }
        Operation named = first instanceof ImplementationBroke broke && broke.at() != null ? broke.at() : burst.get(0);
        int at = Math.max(0, burst.indexOf(named));
        return crashed(config, factory, node.with(history).with(burst.subList(0, at)), named, describe(first, named),
                counts.transitions, counts.started, counts.expanded);
    }

    /** The calls one at a time after the node's path on a fresh instance: the first that breaks or is rejected. */
    private static Option<Mismatch> oneAtATime(ExploreConfig config, ImplementationFactory factory, Node from,
                                               List<Operation> calls, Counts counts) {
        Node at = from;
        try {
            IoasidImplementation impl = replay(factory, config, from.path());
            for (Operation call : calls) {
                Result observed;
                try {
                    observed = impl.apply(call);
                } catch (RuntimeException broke) {
                    return Option.some(crashed(config, factory, at, call, describe(broke, call),
                            counts.transitions, counts.started, counts.expanded));
                }
                Either<Mismatch, Node> next = step(config, factory, at, call, observed, counts);
                if (next.isLeft()) {
                    return Option.some(next.getLeft());
                }
                at = next.get();
            }
        } catch (RuntimeException broke) {
            // it broke on the way there this time: nothing to learn from this walk
        }
        return Option.none();
    }

    private static String describe(RuntimeException e, Operation call) {
        return e instanceof ImplementationBroke ? "the implementation broke the protocol at " + call + ": " + e.getMessage()
                : call + " crashed the implementation: " + e;
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

    /**
     * The first of {@code earlier} after which {@code op}, the call the model rejected, is rejected
     * again, each pair replayed after the node's path: the shortest trace when what an earlier call
     * left behind shows only on that call (a refused attach that leaves a reserved range behind, seen
     * by a copy into it), not on the probes.
     */
    private static Option<Mismatch> afterOneOf(ExploreConfig config, ImplementationFactory factory, Node node,
                                               List<Operation> earlier, Operation op, Counts counts) {
        for (Operation first : earlier) {
            Option<Mismatch> found = oneAtATime(config, factory, node, List.of(first, op), counts);
            if (found.isDefined()) {
                return found;
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
        return checkAnswers(config, factory, at, queries, seen, counts);
    }

    /** The answers the instance at {@code at} gave to the queries, each checked against the model. */
    private static Option<Mismatch> checkAnswers(ExploreConfig config, ImplementationFactory factory, Node at,
                                                 List<Operation> queries, List<Result> seen, Counts counts) {
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
            Node at = node;
            for (Operation op : ops) {
                Either<Mismatch, Node> next = step(config, factory, at, op, impl.apply(op), counts);
                if (next.isLeft()) {
                    return Option.some(next.getLeft());
                }
                at = next.get();
            }
            return askQueries(config, factory, impl, at, queries, counts);
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
