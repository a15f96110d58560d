package dev.ioasid.properties.concurrent;

import dev.ioasid.model.Design;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import dev.ioasid.model.Transition;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a concurrent history is linearizable with respect to the model: whether some order of its
 * calls that keeps every call after those that returned before it was invoked is a sequence the
 * model accepts, each call returning what it returned. The model's latitude holds as in every other
 * check: any legal ID, a stage-1 entry not yet invalidated seen or not.
 *
 * <p>The search is Wing and Gong's: linearize, one at a time, a call no pending call precedes, step
 * the model along its result, and backtrack when no call can go next. Lowe's memoisation keeps it
 * small: a (set of calls linearized, model state) pair met before and failed is not searched again,
 * since what is left to linearize from it is the same. Three threads of eight calls stay well under
 * a second (see the tests).
 */
public final class Linearizability {

    private Linearizability() {
    }

    /** Why a history is or is not linearizable. */
    public sealed interface Verdict {
        boolean linearizable();
    }

    /** An order the model accepts; {@code statesSearched} says how much search it took. */
    public record Linearizable(List<Call> order, long statesSearched) implements Verdict {
        @Override public boolean linearizable() {
            return true;
        }
    }

    /**
     * No order is legal. {@code longest} is the longest order the search could build; after it,
     * every call that could go next returned something the model does not allow there ({@code stuck},
     * with what the model expected).
     */
    public record NotLinearizable(List<Call> longest, List<Stuck> stuck, long statesSearched) implements Verdict {
        @Override public boolean linearizable() {
            return false;
        }

        /** Why, in words: the longest legal order, then each call that could not follow it. */
        public String explain() {
            StringBuilder out = new StringBuilder("no order of the calls is one the model accepts [CONC-1].\n");
            out.append("longest legal order (").append(longest.size()).append(longest.size() == 1 ? " call): " : " calls): ");
            out.append(longest.isEmpty() ? "none" : String.join(", ", longest.stream().map(Call::name).toList())).append('\n');
            for (Stuck s : stuck) {
                out.append("  then ").append(s.call().name()).append(' ').append(s.call().op()).append(" returned ")
                        .append(s.call().result() == null ? "(no answer: it threw)" : s.call().result())
                        .append(", expected ").append(s.expected());
                if (!s.rules().isEmpty()) {
                    out.append(" [").append(String.join(", ", s.rules())).append(']');
                }
                out.append('\n');
            }
            return out.toString();
        }
    }

    /** A call that could have gone next but returned what the model does not allow there. */
    public record Stuck(Call call, String expected, List<String> rules) {
    }

    /** The prefix ran alone and still disagreed with the model: a sequential failure, not a race. */
    public record PrefixRejected(int step, String expected) implements Verdict {
        @Override public boolean linearizable() {
            return false;
        }
    }

    public static Verdict check(History history) {
        return check(history, Design.PAGE_TABLE_OWNER);
    }

    public static Verdict check(History history, Design design) {
        ModelState state = Model.initial(history.bounds(), design);
        for (int i = 0; i < history.prefix().size(); i++) {
            Transition t = Model.step(state, history.prefix().get(i));
            Option<Transition.Step> step = t.accept(history.prefixResults().get(i));
            if (step.isEmpty()) {
                return new PrefixRejected(i, t.expected());
            }
            state = step.get().next();
        }
        Search search = new Search(history.calls());
        if (search.linearize(state, 0L)) {
            return new Linearizable(List.copyOf(search.order), search.searched);
        }
        return new NotLinearizable(search.longest, search.stuckAfterLongest, search.searched);
    }

    /** The depth-first search, with its memo of (linearized set, state) pairs that failed. */
    private static final class Search {
        private final List<Call> calls;
        private final long all;
        private final Set<Visited> failed = new HashSet<>();
        private final List<Call> order = new ArrayList<>();
        private List<Call> longest = List.of();
        private List<Stuck> stuckAfterLongest = List.of();
        private long searched;

        private record Visited(long done, ModelState state) {
        }

        Search(List<Call> calls) {
            if (calls.size() > 62) {
                throw new IllegalArgumentException("at most 62 concurrent calls: " + calls.size());
            }
            this.calls = calls;
            this.all = calls.isEmpty() ? 0L : (1L << calls.size()) - 1;
        }

        boolean linearize(ModelState state, long done) {
            if (done == all) {
                return true;
            }
            if (!failed.add(new Visited(done, state))) {
                return false;
            }
            searched++;
            List<Stuck> stuck = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                if ((done & (1L << i)) != 0 || !mayGoNext(i, done)) {
                    continue;
                }
                Call call = calls.get(i);
                Transition t = Model.step(state, call.op());
                Option<Transition.Step> step = call.result() == null ? Option.none() : t.accept(call.result());
                if (step.isEmpty()) {
                    stuck.add(new Stuck(call, t.expected(), t.rules().map(Rule::id).toJavaList()));
                    continue;
                }
                order.add(call);
                if (linearize(step.get().next(), done | (1L << i))) {
                    return true;
                }
                order.remove(order.size() - 1);
            }
            if (order.size() >= longest.size() && !stuck.isEmpty()) {
                longest = List.copyOf(order);
                stuckAfterLongest = stuck;
            }
            return false;
        }

        /** A call may go next if no call still to linearize returned before it was invoked. */
        private boolean mayGoNext(int i, long done) {
            Call candidate = calls.get(i);
            for (int j = 0; j < calls.size(); j++) {
                if (j != i && (done & (1L << j)) == 0 && calls.get(j).precedes(candidate)) {
                    return false;
                }
            }
            return true;
        }
    }
}
