package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceFormatException;
import java.nio.file.Path;

/** Reading what the user gave: a bounds file, or the defaults. */
final class Inputs {

    private Inputs() {
    }

    static Bounds bounds(Path file) throws BadInputException {
        if (file == null) {
            return Bounds.defaults();
        }
        try {
            return TraceFile.readBounds(file);
        } catch (TraceFormatException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    /**
     * The files named: each file as it is, each directory as the files in it (to {@code depth} levels)
     * whose name matches, sorted; a directory with none, or a name that is neither, is bad input.
     *
     * @param what what the matching files are, for the message (e.g. "*.jsonl log")
     */
    static java.util.List<Path> files(java.util.List<Path> named, int depth, String nameRegex, String what)
            throws BadInputException {
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (Path given : named) {
            if (java.nio.file.Files.isDirectory(given)) {
                try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(given, depth)) {
                    java.util.List<Path> inside = walk.filter(p -> p.getFileName().toString().matches(nameRegex))
                            .filter(java.nio.file.Files::isRegularFile).sorted().toList();
                    if (inside.isEmpty()) {
                        throw new BadInputException(given + ": a directory with no " + what + " in it");
                    }
                    files.addAll(inside);
                } catch (java.io.IOException | java.io.UncheckedIOException e) {
                    throw new BadInputException(given + ": cannot list: " + e.getMessage());
                }
            } else if (java.nio.file.Files.isRegularFile(given)) {
                files.add(given);
            } else {
                throw new BadInputException(given + ": no such file or directory");
            }
        }
        return files;
    }
}
