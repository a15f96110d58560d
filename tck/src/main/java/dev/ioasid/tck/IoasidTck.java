package dev.ioasid.tck;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Profile;
import org.junit.jupiter.api.Assumptions;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.model.Design;
import dev.ioasid.properties.PropertyConfig;
import dev.ioasid.properties.concurrent.ParallelConfig;
import org.junit.jupiter.api.Test;

/**
 * The test kit for an implementation of the contract, in the manner of the Reactive Streams TCK:
 * extend this class in your test sources, return your factory, and run your tests.
 *
 * <pre>{@code
 * class MyIoasidTckTest extends IoasidTck {   // a name Surefire runs: *Test, *Tests or Test*
 *     @Override protected ImplementationFactory factory() { return MyIoasid.FACTORY; }
 * }
 * }</pre>
 *
 * You get three checks: the contract by example (one or more examples per SPEC rule, inherited from
 * {@link ContractExamples}, written for the ioasid-2021 profile); a property run, random operation sequences checked step by step against
 * the model, a failure shrunk to a minimal trace written under {@code target/ioasid-traces}; and
 * bounded conformance, every transition of the first reachable states of the explorer's bounds. Each
 * failure message says how to replay it. Override the {@code protected} methods to change the bounds,
 * the number of sequences or the conformance budget; {@code -Dioasid.tries}, {@code -Dioasid.length}
 * and {@code -Dioasid.seed} override the property run from the command line. The property run and
 * conformance run under both contract profiles, ioasid-2021 and iommufd ({@link #checksIommufd()}). An
 * implementation that declares itself safe for concurrent callers ({@link #checksConcurrency()}) also
 * gets concurrent histories checked for linearizability.
 */
public abstract class IoasidTck extends ContractExamples {

    /** Makes fresh instances of the implementation under test. */
    protected abstract ImplementationFactory factory();

    /** The bounds of the property run: the project's defaults. */
    protected Bounds propertyBounds() {
        return Bounds.defaults();
    }

    /** Sequences in the property run (150 operations each). */
    protected int tries() {
        return 1_000;
    }

    /** The bounds of the conformance check: the explorer's defaults (nesting, a fault queue, two drivers). */
    protected Bounds conformanceBounds() {
        return ExploreConfig.defaultBounds();
    }

    /** States whose every transition conformance checks, breadth first. */
    protected long conformanceStates() {
        return 300;
    }

    /**
     * Whether the implementation is meant to be called by several threads at once. Override to
     * return true, and the kit runs concurrent histories on one instance and checks each is
     * linearizable (CONC-1, README "Concurrent callers"); mark where your implementation takes and
     * drops its locks ({@code dev.ioasid.contract.Interleaving}) so the controlled scheduler can
     * interleave calls there. False by default: the check then shows as skipped.
     */
    protected boolean checksConcurrency() {
        return false;
    }

    /** Concurrent histories the parallel check runs (of the default shape: 6 calls alone, 2 threads x 4 calls). */
    protected int parallelTries() {
        return 2_000;
    }

    @Override
    protected final IoasidImplementation create(Bounds bounds) {
        return factory().create(bounds);
    }

    @Test
    void refinesTheModelOnRandomOperationSequences() {
        Checks.propertyRun(factory(), new PropertyConfig(propertyBounds(), tries(), 150, PropertyConfig.DEFAULT_SEED, 50_000));
    }

    @Test
    void conformsOnEveryTransitionOfTheFirstReachableStates() {
        Checks.conformance(factory(), new ExploreConfig(conformanceBounds(), Design.PAGE_TABLE_OWNER,
                conformanceStates(), 1, 2));
    }

    @Test
    void refinesTheModelUnderTheIommufdProfile() {
        Assumptions.assumeTrue(checksIommufd(), "the implementation declares the 2021 contract only");
        Checks.propertyRun(factory(), new PropertyConfig(propertyBounds().withProfile(Profile.IOMMUFD), tries(), 150,
                PropertyConfig.DEFAULT_SEED, 50_000));
    }

    @Test
    void conformsUnderTheIommufdProfile() {
        Assumptions.assumeTrue(checksIommufd(), "the implementation declares the 2021 contract only");
        Checks.conformance(factory(), new ExploreConfig(conformanceBounds().withProfile(Profile.IOMMUFD),
                Design.PAGE_TABLE_OWNER, conformanceStates(), 1, 2));
    }

    @Test
    void isLinearizableUnderConcurrentCalls() {
        Assumptions.assumeTrue(checksConcurrency(), "the implementation does not declare itself safe for concurrent callers");
        Checks.linearizability(factory(), ParallelConfig.defaults().withTries(parallelTries()));
    }
}
