package dev.ioasid.contract;

/** Makes fresh implementation instances; every checked sequence starts from a new one. */
public interface ImplementationFactory {

    /** A short name for reports, such as {@code reference}. */
    String name();

    IoasidImplementation create(Bounds bounds);
}
