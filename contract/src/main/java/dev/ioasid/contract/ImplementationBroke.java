package dev.ioasid.contract;

/**
 * Thrown by an implementation adapter when the implementation stopped keeping its side of the
 * protocol, rather than answering wrongly: an external process that exited, did not answer in time,
 * printed something that is not a result, or answered out of order. Engines stop at once with the
 * trace up to this step and do not shrink: replaying a crash or a hang hundreds of times would tell
 * the user nothing more and could take hours.
 */
public class ImplementationBroke extends RuntimeException {

    public ImplementationBroke(String what) {
        super(what);
    }

    public ImplementationBroke(String what, Throwable cause) {
        super(what, cause);
    }
}
