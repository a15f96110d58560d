package dev.ioasid.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Design;
import dev.ioasid.model.ModelImplementation;
import org.junit.jupiter.api.Test;

/** Conformance mode against the model run as an implementation, and against a broken one. */
class ConformanceTests {

    static ExploreConfig tiny(long maxStates) {
        return new ExploreConfig(ExplorerTests.tiny(), Design.PAGE_TABLE_OWNER, maxStates, 1, 2);
    }

    @Test
    void theModelConformsToItselfOnEveryReachableState() {
        Conformance.Verdict verdict = Conformance.check(tiny(1_000_000), ModelImplementation.FACTORY);

        assertThat(verdict).isInstanceOf(Conformance.Conforms.class);
        assertThat(((Conformance.Conforms) verdict).exhausted()).isTrue();
        assertThat(verdict.states()).isEqualTo(ExplorerTests.TINY_STATES_KEEPING_FLAGS);
    }

    @Test
    void aMismatchComesBackAsAShortestTrace() {
        // The model, except that a second IOAS cannot be had: ENOSPC where an ID is due.
        ImplementationFactory broken = new ImplementationFactory() {
            @Override public String name() { return "one-ioas"; }

            @Override public IoasidImplementation create(Bounds bounds) {
                ModelImplementation model = new ModelImplementation(bounds);
                int[] ioas = {0};
                return op -> op instanceof Operation.AllocIoas && ioas[0]++ == 1
                        ? Result.failed(dev.ioasid.contract.Errno.ENOSPC) : model.apply(op);
            }
        };

        Conformance.Mismatch mismatch = (Conformance.Mismatch) Conformance.check(tiny(1_000_000), broken);

        assertThat(mismatch.trace().steps()).hasSize(2);
        assertThat(mismatch.trace().steps()).allMatch(s -> s.op() instanceof Operation.AllocIoas);
        assertThat(mismatch.trace().headline()).contains("returned ENOSPC, expected ok(id) with id in {2}");
    }

    @Test
    void aQueryThatThrowsIsNamedThoughTheQueriesAreAskedAtOnce() {
        // The model, except that asking the pages of an object that is there throws.
        ImplementationFactory throwing = new ImplementationFactory() {
            @Override public String name() { return "pages-throw"; }

            @Override public IoasidImplementation create(Bounds bounds) {
                ModelImplementation model = new ModelImplementation(bounds);
                return op -> {
                    Result result = model.apply(op);
                    if (op instanceof Operation.QueryPages q && !(result instanceof Result.Failed)) {
                        throw new IllegalStateException("NULL pointer in query " + q);
                    }
                    return result;
                };
            }
        };

        Conformance.Mismatch mismatch = (Conformance.Mismatch) Conformance.check(tiny(100), throwing);

        var steps = mismatch.trace().steps();
        assertThat(steps.get(steps.size() - 1).op()).isEqualTo(new Operation.QueryPages(1, 1));
        assertThat(steps.get(steps.size() - 1).observed()).isNull();
        assertThat(mismatch.trace().headline()).contains("queryPages(vm=1, id=1) crashed the implementation");
        assertThat(steps.get(0).op()).isEqualTo(new Operation.AllocIoas(1));
    }
}
