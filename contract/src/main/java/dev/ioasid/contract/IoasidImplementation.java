package dev.ioasid.contract;

/**
 * An implementation of the contract, seen as a black box: one operation in, one result out. The
 * reference implementation, the planted-bug variants and any alternate implementation implement it.
 * An implementation instance starts in the initial state of the {@link Bounds} it was made for.
 */
public interface IoasidImplementation {

    Result apply(Operation op);
}
