package dev.ioasid.explorer;

import dev.ioasid.contract.Operation;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Transition;
import dev.ioasid.model.invariants.Invariant;
import dev.ioasid.model.invariants.Invariants;
import io.vavr.Tuple2;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Breadth-first exploration of every model state reachable within the bounds, TLC style: take a
 * level of states, generate the successors of each under every operation (the canonical result
 * where the model allows several), keep the new fingerprints, check the invariants on new states
 * only, and go on with the next level. Predecessor links (parent index and operation index) rebuild
 * a shortest counterexample by walking back and replaying forward.
 *
 * <p>Each level is expanded by all threads, chunk by chunk, each thread checking the invariants of
 * the successors it finds; the new states are then admitted in chunk order by one thread, the first
 * admitted state that breaks an invariant winning. So counts and traces are the same whatever the
 * number of threads.
 *
 * <p>The successors of a large level are kept packed until they are expanded ({@link StateCodec}, about
 * 90 bytes each instead of an object graph) and unpacked then to the equal model state
 * ({@link Frontier}): the step, fingerprint and invariants are always the model's own.
 *
 * <p><b>Partial-order reduction.</b> Most successors of a state are states met already, reached
 * again by the same operations in another order. Sleep sets ({@link SleepSets}) skip many of those
 * steps: operations are ordered as {@link Actions#forExploration} lists them, and after operation
 * {@code a} a state does not try an operation {@code b} independent of {@code a}
 * ({@link Independence}) that comes before {@code a} or already slept in {@code a}'s source. A
 * state keeps the sleep set of its first meeting, the one its predecessor link records.
 *
 * <p>Why every state is still visited, at its true depth (so counts, depths and the length of every
 * counterexample are those of the full search). Order paths of equal length position by position.
 * States are admitted in the order of their parents and then of operations, so by induction on
 * the depth each kept state's recorded path is the least of its shortest paths: were the last step
 * {@code b} of the least path asleep, unrolling the sleep sets along the path (which the recorded
 * paths of its states are) gives a position {@code j} where {@code b} comes before step {@code j}
 * and is independent of steps {@code j..} onwards; moving {@code b} there gives a path of the same
 * length to the same state, and a lesser one. Now let {@code u} be a state of least depth {@code d}
 * never reached, and {@code (s, b)} the pair with {@code s} kept at depth {@code d - 1} and
 * {@code s·b} = {@code u} whose path (recorded path of {@code s}, then {@code b}) is least; {@code b}
 * slept in {@code s}. Unrolling as above, {@code b} comes before step {@code j} and is independent
 * of steps {@code j..d-1}; taking {@code b} at {@code j} and then steps {@code j..d-2} reaches,
 * above depth {@code d}, a kept state {@code t} whose recorded path is no greater, and {@code t}
 * then step {@code d - 1} is {@code u}: a pair with a lesser path, a contradiction. (A renumbered
 * meeting takes the operations renamed; the comparison is decided at position {@code j} all the
 * same.) Independent operations must commute from every state, up to the fingerprint and the
 * object IDs: {@code IndependenceTests} checks it.
 */
public final class Explorer {
    private static final long PROGRESS_NANOS = 2_000_000_000L;

    private final ExploreConfig config;
    private final SleepSets sleepSets;
    /** The operations every state is offered ({@link Actions#fixed}), looked up once. */
    private final List<Operation> fixed;
    private final Consumer<String> progress;
    /** Packs the states of large levels. */
    private final Frontier.Codec codec;
    /** The successors of a level of at least this many states are kept packed. */
    private final int packFrom;
    private final LongHashSet visited = new LongHashSet(1024);
    private final IntList parents = new IntList();
    private final IntList operations = new IntList();
    /** New states per depth, from depth 0. */
    private final List<Long> newByDepth = new ArrayList<>();
    private long transitions;
    private long slept;
    private int depth;
    private long started;
    private long lastProgress;

    private Explorer(ExploreConfig config, Consumer<String> progress, int packFrom, Frontier.Codec codec) {
        this.config = config;
        this.packFrom = packFrom;
        this.codec = codec;
        this.sleepSets = config.reduction() ? new SleepSets(config.bounds(), config.delivery()) : null;
        this.fixed = Actions.fixed(config.bounds());
        this.progress = progress;
    }

    public static ExploreResult explore(ExploreConfig config, Consumer<String> progress) {
        return explore(config, progress, Frontier.AUTO);
    }

    /** The same exploration, keeping the states to expand as {@code frontier} says (the results are the same). */
    public static ExploreResult explore(ExploreConfig config, Consumer<String> progress, Frontier frontier) {
        return explore(config, progress, frontier.packFrom(), new StateCodec(config.initialState()));
    }

    /** With the codec given (tests check every state it packs) and from which level size it packs. */
    static ExploreResult explore(ExploreConfig config, Consumer<String> progress, int packFrom, Frontier.Codec codec) {
        return new Explorer(config, progress, packFrom, codec).run();
    }

    /**
     * A successor met while expanding a level: the index of the state it came from, by which
     * operation, its fingerprint, the state as the frontier keeps it, the operations it need not try
     * ({@link SleepSets}; {@code null} for none), and the first invariant it breaks with what is
     * wrong ({@code null} if none).
     */
    private record Candidate(int parent, int operation, long fingerprint, Object kept, long[] sleep,
                             Tuple2<Invariant, String> broken) {
    }

    private ExploreResult run() {
        started = System.nanoTime();
        lastProgress = started;
        ModelState initial = config.initialState();
        visited.add(Fingerprint.of(initial));
        newByDepth.add(1L);
        parents.add(-1);
        operations.add(-1);
        Option<Tuple2<Invariant, String>> broken = Invariants.firstViolation(initial);
        if (broken.isDefined()) {
            return violated(0, broken.get());
        }
        List<Object> level = new ArrayList<>(List.of(keep(initial, packs(1))));
        List<long[]> sleeping = new ArrayList<>(Collections.singletonList(null));
        int[] ids = {0};
        ExecutorService pool = Executors.newFixedThreadPool(config.threads());
        try {
            while (!level.isEmpty()) {
                String memory = memoryRunningOut();
                if (memory != null) {
                    return new ExploreResult.BoundExhausted(stats(), memory);
                }
                List<List<Candidate>> found;
                try {
                    found = expand(pool, level, sleeping, ids);
                } catch (OutOfMemoryError e) {
                    // The level's candidates are dropped with this frame, which frees what they held.
                    return new ExploreResult.BoundExhausted(stats(), "memory budget: the heap ran out while expanding depth "
                            + (depth + 1) + "; raise -Xmx or use smaller bounds");
                }
                List<Object> next = new ArrayList<>();
                List<long[]> nextSleeping = new ArrayList<>();
                IntList nextIds = new IntList();
                int firstBroken = -1;
                Tuple2<Invariant, String> brokenBy = null;
                for (List<Candidate> chunk : found) {
                    for (Candidate c : chunk) {
                        if (visited.add(c.fingerprint())) {
                            if (c.broken() != null && firstBroken < 0) {
                                firstBroken = parents.size();
                                brokenBy = c.broken();
                            }
                            nextIds.add(parents.size());
                            parents.add(c.parent());
                            operations.add(c.operation());
                            next.add(c.kept());
                            nextSleeping.add(c.sleep());
                        }
                    }
                }
                if (next.isEmpty()) {
                    break;
                }
                depth++;
                newByDepth.add((long) next.size());
                if (firstBroken >= 0) {
                    return violated(firstBroken, brokenBy);
                }
                if (visited.size() >= config.maxStates()) {
                    return new ExploreResult.BoundExhausted(stats(), String.format("state budget: %,d states", config.maxStates()));
                }
                level = next;
                sleeping = nextSleeping;
                ids = nextIds.toArray();
                report(level.size());
            }
            return new ExploreResult.Holds(stats());
        } finally {
            pool.shutdownNow();
        }
    }

    private List<List<Candidate>> expand(ExecutorService pool, List<Object> level, List<long[]> sleeping, int[] ids) {
        int[] cuts = chunks(level.size());
        List<Future<List<Candidate>>> futures = new ArrayList<>();
        long[][] tallies = new long[cuts.length - 1][2];
        for (int c = 0; c + 1 < cuts.length; c++) {
            int from = cuts[c];
            int to = cuts[c + 1];
            int chunk = c;
            futures.add(pool.submit(() -> {
                List<Candidate> out = new ArrayList<>();
                LongHashSet met = new LongHashSet(1024);
                boolean pack = packs(level.size());
                for (int i = from; i < to; i++) {
                    successors(load(level.get(i)), pack, sleeping.get(i), ids[i], met, out, tallies[chunk]);
                    // Expanded: let it go, so that a level and the next are not both held whole.
                    level.set(i, null);
                    sleeping.set(i, null);
                }
                return out;
            }));
        }
        List<List<Candidate>> results = new ArrayList<>();
        for (Future<List<Candidate>> f : futures) {
            results.add(join(f));
        }
        for (long[] tally : tallies) {
            transitions += tally[0];
            slept += tally[1];
        }
        return results;
    }

    /**
     * Successors of one state that are not yet visited (the visited set is only read here) nor met
     * earlier in the same chunk: keeping only a chunk's first meeting of a state keeps memory down and
     * changes nothing, as admission goes in chunk order and keeps the first meeting anyway. Each is
     * checked against the invariants here, by the thread that found it: only those reading parts its
     * step changed, as its predecessor broke none. Adds to {@code tally} how many operations were
     * applied, and how many slept.
     */
    private void successors(ModelState state, boolean pack, long[] sleep, int id, LongHashSet met, List<Candidate> out,
                            long[] tally) {
        // Actions.forExploration's list, read in its two parts rather than copied for every state.
        List<Operation> more = Actions.afterFixed(state, config.groupRequests());
        for (int k = 0; k < fixed.size() + more.size(); k++) {
            Operation op = k < fixed.size() ? fixed.get(k) : more.get(k - fixed.size());
            if (sleep != null && sleepSets.sleeps(sleep, k, op)) {
                tally[1]++;
                continue;
            }
            tally[0]++;
            ModelState next = Model.step(state, op).canonical().next();
            if (next == state || Fingerprint.unchangedFrom(state, next)) {
                continue; // the parent's own fingerprint: visited already
            }
            long fingerprint = Fingerprint.of(next);
            if (!visited.contains(fingerprint) && met.add(fingerprint)) {
                long[] asleep = sleepSets == null ? null : sleepSets.after(sleep, k, op);
                Tuple2<Invariant, String> broken = Invariants.firstViolation(next, state).getOrNull();
                out.add(new Candidate(id, k, fingerprint, keep(next, pack), asleep, broken));
            }
        }
    }

    /** Whether the successors of a level of {@code levelSize} states are kept packed. */
    private boolean packs(int levelSize) {
        return levelSize >= packFrom;
    }

    /** A state as the frontier keeps it: packed, or the state itself. */
    private Object keep(ModelState state, boolean pack) {
        return pack ? codec.pack(state) : state;
    }

    private ModelState load(Object kept) {
        return kept instanceof byte[] packed ? codec.unpack(packed) : (ModelState) kept;
    }

    /** Where a list of {@code size} states is cut into chunks for the threads: chunk c is [cuts[c], cuts[c + 1]). */
    private int[] chunks(int size) {
        int chunks = Math.min(size, config.threads() * 8);
        int[] cuts = new int[chunks + 1];
        for (int c = 0; c <= chunks; c++) {
            cuts[c] = (int) ((long) size * c / chunks);
        }
        return cuts;
    }

    /**
     * Why to stop before expanding the next level, if the heap is mostly used: a level's successors
     * can take as much again, and stopping between levels keeps every result computed so far.
     */
    private static String memoryRunningOut() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        if (used < rt.maxMemory() * 0.7) {
            return null;
        }
        System.gc();
        used = rt.totalMemory() - rt.freeMemory();
        return used < rt.maxMemory() * 0.6 ? null : String.format(
                "memory budget: %,d of %,d MB of heap in use before the next level; raise -Xmx or use smaller bounds",
                used >> 20, rt.maxMemory() >> 20);
    }

    private ExploreResult violated(int id, Tuple2<Invariant, String> broken) {
        List<Integer> path = new ArrayList<>();
        for (int at = id; parents.get(at) >= 0; at = parents.get(at)) {
            path.add(operations.get(at));
        }
        Collections.reverse(path);
        List<ExploreResult.Step> trace = new ArrayList<>();
        ModelState s = config.initialState();
        for (int k : path) {
            Operation op = Actions.forExploration(s, config.groupRequests()).get(k);
            Transition.Step step = Model.step(s, op).canonical();
            trace.add(new ExploreResult.Step(op, step.result(), step.rules().toJavaList()));
            s = step.next();
        }
        return new ExploreResult.Violated(stats(), broken._1, broken._2, trace);
    }

    private ExploreResult.Stats stats() {
        return new ExploreResult.Stats(visited.size(), transitions, slept, depth, (System.nanoTime() - started) / 1e9,
                visited.bytes(), visited.sum(), newByDepth);
    }

    private void report(int frontier) {
        long now = System.nanoTime();
        if (now - lastProgress >= PROGRESS_NANOS) {
            lastProgress = now;
            ExploreResult.Stats s = stats();
            progress.accept(String.format("  depth %d: %,d states, %,d to expand, %,.0f states/s", s.depth(), s.states(),
                    frontier, s.statesPerSecond()));
        }
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("exploration interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OutOfMemoryError oom) {
                throw oom;
            }
            throw new IllegalStateException("exploration failed: " + e.getCause(), e.getCause());
        }
    }
}
