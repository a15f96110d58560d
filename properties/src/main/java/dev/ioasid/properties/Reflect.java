package dev.ioasid.properties;

import dev.ioasid.contract.Operation;
import java.lang.reflect.RecordComponent;

/** Reading and rebuilding operation records by their components (shrinking and renaming need both). */
final class Reflect {

    private Reflect() {
    }

    static Object read(RecordComponent component, Operation op) {
        try {
            return component.getAccessor().invoke(op);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + op, e);
        }
    }

    static Operation construct(Operation like, Class<?>[] types, Object[] args) {
        try {
            return (Operation) like.getClass().getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + like, e);
        }
    }
}
