package dev.ioasid.reports;

/** A trace or bounds file that cannot be read: says which file, which field and what was expected. */
public final class TraceFormatException extends Exception {
    public TraceFormatException(String message) {
        super(message);
    }

    public TraceFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
