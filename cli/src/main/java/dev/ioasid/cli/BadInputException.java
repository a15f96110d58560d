package dev.ioasid.cli;

/** Input the command cannot use (a malformed bounds or trace file, an unknown implementation): exit 2. */
final class BadInputException extends Exception {
    BadInputException(String message) {
        super(message);
    }
}
