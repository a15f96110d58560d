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

    /**
     * An implementation may hand out any free ID, and choose it by its history: here, by how many
     * calls it has refused so far (as an allocator's cursor that moves on a refused call would).
     * Conformance asks many calls of one instance before a call that changes the state, so the
     * state it records must be the one a replay of the path reaches, not the one that instance
     * reached; otherwise it reports a mismatch whose trace does not fail on replay.
     */
    @Test
    void idsChosenByTheImplementationsHistoryAreNoFalseAlarm() {
        ImplementationFactory cursor = new ImplementationFactory() {
            @Override public String name() { return "id-cursor"; }

            @Override public IoasidImplementation create(Bounds bounds) {
                return new IoasidImplementation() {
                    private dev.ioasid.model.ModelState state = dev.ioasid.model.Model.initial(bounds, Design.PAGE_TABLE_OWNER);
                    private int refused;

                    @Override public Result apply(Operation op) {
                        var legal = dev.ioasid.model.Model.step(state, op).steps();
                        var step = legal.get(refused % legal.size());
                        if (step.result() instanceof Result.Failed) {
                            refused++;
                        }
                        state = step.next();
                        return step.result();
                    }
                };
            }
        };
        ExploreConfig.Named first = ExploreConfig.conformanceBounds().get(0);

        Conformance.Verdict verdict = Conformance.check(new ExploreConfig(first.bounds(), Design.PAGE_TABLE_OWNER, 300, 1, 2), cursor);

        assertThat(verdict).as("%s", verdict).isInstanceOf(Conformance.Conforms.class);
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

    /**
     * An IOTLB that an unmap does not flush: a read by DMA, an unmap, a read again. The translation
     * cached by the first read is implementation state the model does not have; conformance asks
     * reads by DMA after every transition, on the instance that made the calls before it, and
     * reports the shortest trace, which replays: the cache filled, the unmap, the stale read.
     */
    @Test
    void aCacheAnUnmapForgetsIsCaughtWithTheReadThatFilledIt() {
        ImplementationFactory stale = new ImplementationFactory() {
            @Override public String name() { return "iotlb-kept"; }

            @Override public IoasidImplementation create(Bounds bounds) {
                ModelImplementation model = new ModelImplementation(bounds);
                java.util.Map<Operation, Result> iotlb = new java.util.HashMap<>();
                return op -> {
                    Result result = model.apply(op);
                    if (op instanceof Operation.Dma && result instanceof Result.Translated) {
                        iotlb.put(op, result);
                    }
                    return op instanceof Operation.Dma && iotlb.containsKey(op) ? iotlb.get(op) : result;
                };
            }
        };
        ExploreConfig.Named iotlb = ExploreConfig.conformanceBounds().get(3);

        Conformance.Mismatch mismatch = (Conformance.Mismatch) Conformance.check(
                new ExploreConfig(iotlb.bounds(), Design.PAGE_TABLE_OWNER, iotlb.maxStates(), 1, 2), stale);

        var ops = mismatch.trace().steps().stream().map(dev.ioasid.reports.TraceStep::op).toList();
        assertThat(ops).hasSize(6);
        assertThat(ops.get(3)).isInstanceOf(Operation.Dma.class);
        assertThat(ops.get(5)).isEqualTo(ops.get(3));
        IoasidImplementation again = stale.create(iotlb.bounds());
        java.util.List<Result> results = again.applyAll(ops);
        assertThat(results.get(5)).as("the trace replays").isEqualTo(mismatch.trace().steps().get(5).observed());
    }

    /**
     * A refused replace that detaches anyway changes nothing the call's answer shows: the queries
     * asked after the calls of a state show it, and the report is pinned to that call, shortest.
     */
    @Test
    void aRefusedCallThatChangedSomethingIsReportedAtItsOwnStep() {
        ImplementationFactory detaching = new ImplementationFactory() {
            @Override public String name() { return "refused-replace-detaches"; }

            @Override public IoasidImplementation create(Bounds bounds) {
                ModelImplementation model = new ModelImplementation(bounds);
                return op -> {
                    Result result = model.apply(op);
                    if (op instanceof Operation.Replace r && result instanceof Result.Failed) {
                        model.apply(new Operation.Detach(r.device(), r.pasid()));
                    }
                    return result;
                };
            }
        };

        Conformance.Mismatch mismatch = (Conformance.Mismatch) Conformance.check(
                new ExploreConfig(ExploreConfig.defaultBounds(), Design.PAGE_TABLE_OWNER, 5_000, 1, 2), detaching);

        var steps = mismatch.trace().steps();
        assertThat(steps).hasSize(4);
        assertThat(steps.get(1).op()).isInstanceOf(Operation.Attach.class);
        assertThat(steps.get(2).op()).isInstanceOf(Operation.Replace.class);
        assertThat(steps.get(2).observed()).isInstanceOf(Result.Failed.class);
    }
}
