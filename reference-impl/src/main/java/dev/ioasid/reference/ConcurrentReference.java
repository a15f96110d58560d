package dev.ioasid.reference;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Interleaving;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;

/**
 * The reference implementation made safe for concurrent callers the simplest correct way: every
 * call holds one lock for its whole length, as an iommufd context under one big lock would. Each
 * call is then atomic, so every history is linearizable; the planted concurrency bugs
 * ({@code RaceMutants}) are this implementation with a call that lets go of the lock midway.
 *
 * <p>It marks the point before taking the lock ({@link Interleaving#point()}), where a real caller
 * may be overtaken, so a controlled scheduler interleaves calls there.
 */
public class ConcurrentReference implements IoasidImplementation {

    public static final ImplementationFactory FACTORY = new ImplementationFactory() {
        @Override public String name() { return "reference-concurrent"; }

        @Override public IoasidImplementation create(Bounds bounds) { return new ConcurrentReference(bounds); }
    };

    private final ReferenceImplementation inner;
    private final Interleaving.Mutex lock = new Interleaving.Mutex();

    public ConcurrentReference(Bounds bounds) {
        this(new ReferenceImplementation(bounds));
    }

    /** Around a given reference implementation: a planted race's, whose component lets go of the lock midway. */
    protected ConcurrentReference(ReferenceImplementation inner) {
        this.inner = inner;
    }

    @Override
    public Result apply(Operation op) {
        return locked(op);
    }

    /** One call under the lock: atomic with respect to every other call. */
    protected final Result locked(Operation op) {
        Interleaving.point();
        lock.lock();
        try {
            return inner.apply(op);
        } finally {
            lock.unlock();
        }
    }
}
