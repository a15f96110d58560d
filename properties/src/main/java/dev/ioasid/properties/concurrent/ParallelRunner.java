package dev.ioasid.properties.concurrent;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Interleaving;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one scenario on a fresh instance: the prefix alone, then the threads at once, under the
 * controlled scheduler or free-running; records every call's invocation and return on one clock.
 */
final class ParallelRunner {

    private ParallelRunner() {
    }

    /** The history, and whether the run got stuck or a call threw (the first throwable, else null). */
    record Run(History history, boolean stuck, Throwable thrown) {
    }

    static Run run(Bounds bounds, ImplementationFactory factory, Scenario scenario, boolean controlled) {
        IoasidImplementation impl = factory.create(bounds);
        List<Result> prefixResults = new ArrayList<>();
        for (Operation op : scenario.prefix()) {
            prefixResults.add(impl.apply(op));
        }
        int threads = scenario.threads().size();
        AtomicLong clock = new AtomicLong();
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        Throwable[] thrown = new Throwable[1];
        ControlledScheduler scheduler = controlled ? new ControlledScheduler(threads, scenario.scheduleSeed(), scenario.size() - scenario.prefix().size() + 2) : null;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Runnable body = () -> {
                try {
                    if (scheduler != null) {
                        scheduler.enter(id);
                    } else {
                        start.await();
                    }
                    List<Operation> ops = scenario.threads().get(id);
                    for (int i = 0; i < ops.size(); i++) {
                        Interleaving.point(); // between calls, another thread may go first
                        long invoked = clock.incrementAndGet();
                        Result result;
                        try {
                            result = impl.apply(ops.get(i));
                        } catch (ControlledScheduler.StuckRun e) {
                            throw e;
                        } catch (RuntimeException | Error e) {
                            synchronized (thrown) {
                                thrown[0] = thrown[0] == null ? e : thrown[0];
                            }
                            calls.add(new Call(id, i, ops.get(i), null, invoked, Long.MAX_VALUE));
                            return;
                        }
                        calls.add(new Call(id, i, ops.get(i), result, invoked, clock.incrementAndGet()));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ControlledScheduler.StuckRun e) {
                    // recorded by the scheduler
                } finally {
                    if (scheduler != null) {
                        scheduler.exit(id);
                    }
                }
            };
            Thread worker = new Thread(scheduler == null ? body : () -> Interleaving.runUnder(scheduler, body),
                    "ioasid-parallel-" + (t + 1));
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
        start.countDown();
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the threads ran", e);
            }
        }
        List<Call> sorted = new ArrayList<>(calls);
        sorted.sort(java.util.Comparator.comparingInt(Call::thread).thenComparingInt(Call::index));
        History history = new History(bounds, scenario.prefix(), prefixResults, threads, sorted);
        return new Run(history, scheduler != null && scheduler.stuck(), thrown[0]);
    }
}
