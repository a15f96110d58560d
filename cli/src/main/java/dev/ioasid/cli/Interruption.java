package dev.ioasid.cli;

import java.util.function.Supplier;

/**
 * What a command does on Ctrl-C (SIGINT): the JVM runs shutdown hooks and exits 130; the hook
 * registered here says what was covered and keeps any result already found. It is removed once the
 * work ends normally, so that tests running commands in one JVM leave nothing behind.
 */
final class Interruption {

    private Interruption() {
    }

    static <T> T during(Runnable onInterrupt, Supplier<T> work) {
        Thread hook = new Thread(onInterrupt, "ioasid-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.get();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook is running or has run
            }
        }
    }
}
