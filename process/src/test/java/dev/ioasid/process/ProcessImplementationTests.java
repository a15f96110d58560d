package dev.ioasid.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.explorer.Conformance;
import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.model.Design;
import dev.ioasid.properties.Failure;
import dev.ioasid.properties.LockStep;
import dev.ioasid.properties.PropertyConfig;
import dev.ioasid.properties.PropertyEngine;
import dev.ioasid.properties.PropertyResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The process protocol end to end: the Python example implementation passes the property engine
 * and conformance, and an implementation that crashes, hangs, prints garbage or answers out of
 * order gets a verdict naming the step and what it did, never an exception from our side.
 * Needs python3 on the path (the README's setup; the CI machine has it).
 */
class ProcessImplementationTests {
    private static final Path EXAMPLE = Path.of("../examples/python/ioasid_impl.py");
    private static final Path MISBEHAVING = Path.of("src/test/resources/misbehaving.py");
    private static final Path SNAPSHOTS = Path.of("src/test/resources/snapshots.py");
    private static final Path CONCURRENT = Path.of("src/test/resources/concurrent_double.py");
    /** Refused with EINVAL in the initial state (PASID-1: no set), the answer misbehaving.py gives. */
    private static final Operation REFUSED = new Operation.AllocPasid(1, 1, 1);

    private static ProcessImplementationFactory python(Path script, String args, Duration timeout) {
        assertThat(script).as("the script this test runs").exists();
        return new ProcessImplementationFactory("python3 " + script + " " + args, timeout);
    }

    @Test
    void thePythonExamplePassesThePropertyEngine() {
        try (ProcessImplementationFactory factory = python(EXAMPLE, "", Duration.ofSeconds(10))) {
            PropertyResult result = new PropertyEngine(new PropertyConfig(Bounds.defaults(), 300, 150, 7, 5_000),
                    factory).run();

            assertThat(result).as("%s", result).isInstanceOf(PropertyResult.Passed.class);
            assertThat(result.implementation()).isEqualTo("python-example");
            assertThat(result.coverage().steps()).isEqualTo(300 * 150);
        }
    }

    @Test
    void thePythonExamplePassesThePropertyEngineUnderIommufd() {
        try (ProcessImplementationFactory factory = python(EXAMPLE, "", Duration.ofSeconds(10))) {
            Bounds iommufd = Bounds.defaults().withProfile(dev.ioasid.contract.Profile.IOMMUFD);
            PropertyResult result = new PropertyEngine(new PropertyConfig(iommufd, 300, 150, 7, 5_000), factory).run();

            assertThat(result).as("%s", result).isInstanceOf(PropertyResult.Passed.class);
            assertThat(result.coverage().rules()).contains(dev.ioasid.model.Rule.GEN_2, dev.ioasid.model.Rule.ATT_12);
        }
    }

    @Test
    void thePythonExampleConformsOnEveryTransitionOfTheFirstStates() {
        try (ProcessImplementationFactory factory = python(EXAMPLE, "", Duration.ofSeconds(10))) {
            Conformance.Verdict verdict = Conformance.check(
                    new ExploreConfig(ExploreConfig.defaultBounds(), Design.PAGE_TABLE_OWNER, 15, 1, 2), factory);

            assertThat(verdict).as("%s", verdict).isInstanceOf(Conformance.Conforms.class);
            assertThat(verdict.transitions()).isGreaterThan(1000);
        }
    }

    @Test
    void aSnapshotBringsTheInstanceBackAsOftenAsAsked() {
        try (ProcessImplementationFactory factory = python(EXAMPLE, "", Duration.ofSeconds(10))) {
            var bounds = ExploreConfig.defaultBounds();
            var impl = factory.create(bounds);
            assertThat(impl.apply(new Operation.AllocIoas(1))).isEqualTo(new Result.Allocated(1));
            var saved = impl.snapshot().orElseThrow();
            assertThat(impl.apply(new Operation.AllocIoas(1))).isEqualTo(new Result.Allocated(2));
            saved.restore();
            assertThat(impl.apply(new Operation.AllocIoas(1))).isEqualTo(new Result.Allocated(2));
            saved.restore();
            assertThat(impl.apply(new Operation.QueryObject(1, 2))).isInstanceOf(Result.Failed.class);

            factory.create(bounds);
            assertThatThrownBy(saved::restore).as("a reset forgets every snapshot")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("used after a newer one was made");
        }
    }

    /** Snapshots are a way to go faster, never a way to another verdict: the same states, the same calls checked. */
    @Test
    void conformanceCountsAreTheSameWithAndWithoutSnapshots() {
        ExploreConfig config = new ExploreConfig(ExploreConfig.conformanceBounds().get(0).bounds(), Design.PAGE_TABLE_OWNER, 40, 1, 2);
        try (ProcessImplementationFactory with = python(SNAPSHOTS, "pickle", Duration.ofSeconds(10));
             ProcessImplementationFactory without = python(SNAPSHOTS, "none", Duration.ofSeconds(10))) {
            Conformance.Verdict fast = Conformance.check(config, with);
            Conformance.Verdict slow = Conformance.check(config, without);

            assertThat(fast).as("%s", fast).isInstanceOf(Conformance.Conforms.class);
            assertThat(slow).as("%s", slow).isInstanceOf(Conformance.Conforms.class);
            assertThat(fast.states()).isEqualTo(slow.states()).isEqualTo(40);
            assertThat(fast.transitions()).isEqualTo(slow.transitions());
        }
    }

    @Test
    void aRestoreThatDoesNotRestoreIsTheImplementationsBreakNotAMismatch() {
        ExploreConfig config = new ExploreConfig(ExploreConfig.conformanceBounds().get(0).bounds(), Design.PAGE_TABLE_OWNER, 40, 1, 2);
        try (ProcessImplementationFactory forgetful = python(SNAPSHOTS, "forgetful", Duration.ofSeconds(10))) {
            Conformance.Verdict verdict = Conformance.check(config, forgetful);

            assertThat(verdict).isInstanceOf(Conformance.Mismatch.class);
            assertThat(((Conformance.Mismatch) verdict).trace().headline())
                    .contains("its restore does not bring back the state its snapshot was taken of");
        }
    }

    @Test
    void aCrashIsAVerdictWithTheStepAndWhatItSaidOnStderr() {
        Failure failure = failureAtStep2("crash 2", Duration.ofSeconds(10));

        assertThat(failure.headline()).contains("the implementation broke the protocol at allocPasid(vm=1, min=1, max=1)")
                .contains("closed its output without answering").contains("exited with status 3").contains("about to crash");
    }

    @Test
    void aHangIsCutByTheTimeout() {
        long started = System.nanoTime();
        Failure failure = failureAtStep2("hang 2", Duration.ofMillis(500));

        assertThat(failure.headline()).contains("did not answer within 0.5 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void garbageOutOfOrderAndMalformedResultsAreNamed() {
        assertThat(failureAtStep2("garbage 2", Duration.ofSeconds(10)).headline())
                .contains("printed `Segmentation fault (core dumped)`, which is not JSON");
        assertThat(failureAtStep2("out-of-order 2", Duration.ofSeconds(10)).headline())
                .contains("answered seq 3, expected 2 (out of order)");
        assertThat(failureAtStep2("wrong-type 2", Duration.ofSeconds(10)).headline())
                .contains("printed a result that is not one: result.id: expected a whole number, found \"one\"");
    }

    @Test
    void concurrentRequestsAreAnsweredInAnyOrderAndMatchedBySeq() throws Exception {
        try (ProcessImplementationFactory factory = python(CONCURRENT, "reverse", Duration.ofSeconds(10))) {
            assertThat(factory.acceptsConcurrentRequests(Bounds.defaults())).isTrue();
            factory.callConcurrently();
            dev.ioasid.contract.IoasidImplementation impl = factory.create(Bounds.defaults());
            // The double answers only once both requests are in, the second first: neither call may
            // take the other's answer, and neither may wait for the other's to be read.
            java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var first = two.submit(() -> impl.apply(REFUSED));
                var second = two.submit(() -> impl.apply(new Operation.AllocPasid(1, 2, 2)));
                assertThat(first.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(Result.failed(Errno.EINVAL));
                assertThat(second.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(Result.failed(Errno.EINVAL));
            } finally {
                two.shutdownNow();
            }
        }
    }

    @Test
    void anAnswerToNoRequestBreaksTheProtocol() {
        try (ProcessImplementationFactory factory = python(CONCURRENT, "unknown-seq", Duration.ofSeconds(10))) {
            factory.callConcurrently();
            dev.ioasid.contract.IoasidImplementation impl = factory.create(Bounds.defaults());
            assertThatThrownBy(() -> impl.apply(REFUSED))
                    .isInstanceOf(dev.ioasid.contract.ImplementationBroke.class)
                    .hasMessageContaining("answered seq 999, which is no request awaiting its answer");
        }
    }

    @Test
    void aWrongHelloIsRefusedAtTheStart() {
        assertThat(failureAtStep2("wrong-protocol", Duration.ofSeconds(10)).headline())
                .contains("answered protocol 99, we speak 1");
    }

    @Test
    void theEngineStopsAtABreakWithoutShrinking() {
        try (ProcessImplementationFactory factory = python(MISBEHAVING, "crash 1", Duration.ofSeconds(10))) {
            PropertyResult result = new PropertyEngine(new PropertyConfig(Bounds.defaults(), 100, 150, 1, 5_000),
                    factory).run();

            assertThat(result).isInstanceOf(PropertyResult.Falsified.class);
            PropertyResult.Falsified falsified = (PropertyResult.Falsified) result;
            assertThat(falsified.shrunk().failure()).isInstanceOf(Failure.Broke.class);
            assertThat(falsified.shrunk().replays()).isZero();
            assertThat(falsified.sequence()).isZero();
        }
    }

    @Test
    void aCommandThatDoesNotExistIsAVerdictToo() throws Exception {
        Path missing = Files.createTempDirectory("ioasid").resolve("no-such-implementation");
        try (ProcessImplementationFactory factory = new ProcessImplementationFactory(missing.toString(), Duration.ofSeconds(5))) {
            LockStep.Outcome outcome = new LockStep(Bounds.defaults(), factory).apply(REFUSED);

            assertThat(outcome.failure().get()).isInstanceOf(Failure.Broke.class);
            assertThat(outcome.failure().get().headline()).contains("(request: hello)")
                    .contains("exited with status 127").contains("not found");
        }
    }

    /** Two refused operations through LockStep against misbehaving.py; the failure of the second. */
    private static Failure failureAtStep2(String args, Duration timeout) {
        try (ProcessImplementationFactory factory = python(MISBEHAVING, args, timeout)) {
            LockStep lockStep = new LockStep(Bounds.defaults(), factory);
            LockStep.Outcome first = lockStep.apply(REFUSED);
            if (first.failed()) {
                return first.failure().get(); // broke at the hello
            }
            LockStep.Outcome second = lockStep.apply(REFUSED);
            assertThat(second.failure().get()).isInstanceOf(Failure.Broke.class);
            assertThat(second.failure().get().step()).isEqualTo(1);
            return second.failure().get();
        }
    }
}
