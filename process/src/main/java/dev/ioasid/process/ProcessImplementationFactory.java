package dev.ioasid.process;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import java.time.Duration;

/**
 * An implementation in another process, in any language, speaking the JSON-lines protocol of
 * PROTOCOL.md. One process serves a whole run: each {@link #create} sends {@code reset}, which is
 * what makes ten thousand sequences affordable. A process that broke the protocol is killed; the
 * next {@code create} starts a new one.
 */
public final class ProcessImplementationFactory implements ImplementationFactory, AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String command;
    private final Duration timeout;
    private ProcessSession session;
    private long generation;
    private String name = "process";

    public ProcessImplementationFactory(String command, Duration timeout) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("an implementation command is needed");
        }
        this.command = command;
        this.timeout = timeout;
    }

    /** The name the implementation gave in its hello, once it has started; else "process". */
    @Override
    public String name() {
        return name;
    }

    public String command() {
        return command;
    }

    /**
     * Whether the implementation declared concurrent requests in its hello (started here if it has
     * not started yet): only then can calls to it overlap, and a parallel run mean anything.
     */
    public synchronized boolean acceptsConcurrentRequests(Bounds bounds) {
        create(bounds);
        return session.concurrent();
    }

    /**
     * From now on, calls to an implementation that accepts concurrent requests go marked concurrent,
     * so that calls from several threads overlap (a parallel run). Otherwise, and by default, every
     * call is a plain request answered in order: a sequential run gains nothing from the mark and
     * the process would pay for a thread hand-off on every call.
     */
    public void callConcurrently() {
        concurrentCalls = true;
    }

    private volatile boolean concurrentCalls;

    @Override
    public synchronized IoasidImplementation create(Bounds bounds) {
        if (session == null || !session.alive()) {
            if (session != null) {
                session.close();
            }
            session = ProcessSession.start(command, timeout, bounds);
            name = session.implementationName();
        }
        session.reset(bounds);
        long mine = ++generation;
        ProcessSession current = session;
        return new IoasidImplementation() {
            /**
             * One call. In a parallel run ({@link #callConcurrently}) to a process that declared
             * concurrent requests, it goes marked concurrent and without holding the factory's lock,
             * so that calls from several threads overlap.
             */
            @Override
            public Result apply(Operation op) {
                if (concurrentCalls && current.concurrent()) {
                    synchronized (ProcessImplementationFactory.this) {
                        mustBeCurrent();
                    }
                    return current.applyConcurrently(op);
                }
                return applyAll(java.util.List.of(op)).get(0);
            }

            @Override
            public java.util.List<Result> applyAll(java.util.List<Operation> ops) {
                synchronized (ProcessImplementationFactory.this) {
                    mustBeCurrent();
                    if (current.concurrentRequestsOutstanding()) {
                        throw new IllegalStateException("a burst of ordered requests was sent while concurrent ones "
                                + "awaited their answers");
                    }
                    return current.applyAll(ops);
                }
            }

            @Override
            public java.util.Optional<Snapshot> snapshot() {
                synchronized (ProcessImplementationFactory.this) {
                    if (!current.snapshots()) {
                        return java.util.Optional.empty();
                    }
                    mustBeCurrent();
                    long id = current.snapshot();
                    return java.util.Optional.of(() -> {
                        synchronized (ProcessImplementationFactory.this) {
                            // A reset forgets every snapshot (PROTOCOL.md): one of an older instance is gone.
                            mustBeCurrent();
                            current.restore(id);
                        }
                    });
                }
            }

            private void mustBeCurrent() {
                if (mine != generation || current != session) {
                    throw new IllegalStateException("an instance of " + command + " was used after a newer one was made");
                }
            }
        };
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
