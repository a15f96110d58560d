package dev.ioasid.contract;

/**
 * Thrown by an implementation adapter when the implementation stopped keeping its side of the
 * protocol, rather than answering wrongly: an external process that exited, did not answer in time,
 * printed something that is not a result, or answered out of order. Engines stop at once with the
 * trace up to this step and do not shrink: replaying a crash or a hang hundreds of times would tell
 * the user nothing more and could take hours.
 */
public class ImplementationBroke extends RuntimeException {
    private final transient Operation at;

    public ImplementationBroke(String what) {
        this(what, (Operation) null);
    }

    /** @param at the operation it broke at, when it was one (not a hello or a reset) */
    public ImplementationBroke(String what, Operation at) {
        super(what);
        this.at = at;
    }

    /** The operation it broke at, or null (when several were sent at once, this says which). */
    public Operation at() {
        return at;
    }

    public ImplementationBroke(String what, Throwable cause) {
        super(what, cause);
        this.at = null;
    }
}
