package dev.ioasid.reports;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioasid.contract.Bounds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The trace file format (JSON), one for every engine, and the bounds file format (the same JSON as
 * the trace's {@code bounds}). Files are written whole or not at all: to a temporary file beside
 * the target, then moved over it, readable by all (0644). Reading is strict: the file must be UTF-8
 * text holding exactly one JSON value, and an unknown field is an error, so that a misspelt field is
 * never silently read as absent.
 */
public final class TraceFile {
    public static final String FORMAT = "ioasid-contract-trace/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TRACE_FIELDS = Set.of("format", "engine", "implementation", "reach", "seed",
            "headline", "brokenRules", "failingStep", "rootCause", "bounds", "steps");
    private static final Set<String> CAUSE_FIELDS = Set.of("step", "rules", "shownBy");
    private static final Set<PosixFilePermission> READABLE_BY_ALL = PosixFilePermissions.fromString("rw-r--r--");

    private TraceFile() {
    }

    public static String toJson(Trace trace) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("engine", trace.engine());
        root.put("implementation", trace.implementation());
        trace.seed().ifPresent(seed -> root.put("seed", seed));
        if (trace.reach() != null) {
            root.put("reach", trace.reach());
        }
        root.put("headline", trace.headline());
        root.set("brokenRules", RecordJson.write(trace.brokenRules()));
        root.put("failingStep", trace.failingStep());
        if (trace.cause() != null) {
            ObjectNode cause = root.putObject("rootCause");
            cause.put("step", trace.cause().step());
            cause.set("rules", RecordJson.write(trace.cause().rules()));
            cause.put("shownBy", trace.cause().shownBy());
        }
        root.set("bounds", RecordJson.write(trace.bounds()));
        ArrayNode steps = root.putArray("steps");
        for (TraceStep step : trace.steps()) {
            ObjectNode node = steps.addObject();
            node.set("op", RecordJson.write(step.op()));
            if (step.observed() != null) {
                node.set("observed", RecordJson.write(step.observed()));
            }
            node.put("expected", step.expected());
            node.set("rules", RecordJson.write(step.rules()));
            node.set("changes", RecordJson.write(step.changes()));
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot render trace", e);
        }
    }

    public static void write(Path file, Trace trace) throws IOException {
        writeWhole(file, toJson(trace));
    }

    /** Writes text to a file whole or not at all. */
    public static void writeWhole(Path file, String text) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
        try {
            readableByAll(temporary);
            Files.writeString(temporary, text);
            Files.move(temporary, absolute, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A temporary file is private (0600); the file written is as readable as any other output (0644). */
    private static void readableByAll(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(READABLE_BY_ALL);
        }
    }

    public static Trace read(Path file) throws TraceFormatException {
        JsonNode root = parse(file, "a trace object {\"format\": \"" + FORMAT + "\", ...}");
        String where = file.toString();
        if (!root.isObject()) {
            throw new TraceFormatException(where + ": expected a trace object, found " + InputText.quote(root));
        }
        JsonNode format = root.get("format");
        if (format == null || !FORMAT.equals(format.asText())) {
            throw new TraceFormatException(where + ": format: expected \"" + FORMAT + "\", found "
                    + InputText.quote(format));
        }
        InputText.known(where, root, TRACE_FIELDS);
        try {
            OptionalLong seed = root.hasNonNull("seed")
                    ? OptionalLong.of(RecordJson.read(root.get("seed"), Long.class, "seed")) : OptionalLong.empty();
            List<TraceStep> steps = new ArrayList<>();
            JsonNode stepNodes = root.get("steps");
            if (stepNodes == null || !stepNodes.isArray() || stepNodes.isEmpty()) {
                throw new TraceFormatException("steps: expected a non-empty list, found "
                        + InputText.quote(stepNodes));
            }
            for (int i = 0; i < stepNodes.size(); i++) {
                steps.add(RecordJson.read(stepNodes.get(i), TraceStep.class, "steps[" + i + "]"));
            }
            int failingStep = RecordJson.read(root.get("failingStep"), Integer.class, "failingStep");
            if (failingStep < 0 || failingStep >= steps.size()) {
                throw new TraceFormatException("failingStep: expected 0.." + (steps.size() - 1) + ", found " + failingStep);
            }
            return new Trace(text(root, "engine"), text(root, "implementation"),
                    RecordJson.read(root.get("bounds"), Bounds.class, "bounds"), seed, text(root, "headline"),
                    readStrings(root.get("brokenRules"), "brokenRules"), failingStep, steps,
                    root.hasNonNull("reach") ? RecordJson.read(root.get("reach"), String.class, "reach") : null,
                    root.hasNonNull("rootCause") ? cause(where, root.get("rootCause"), failingStep) : null);
        } catch (TraceFormatException e) {
            throw new TraceFormatException(where + ": " + e.getMessage(), e);
        }
    }

    /** The {@code rootCause} object: a step before the failing one, its rules, and what showed it. */
    private static Trace.Cause cause(String where, JsonNode node, int failingStep) throws TraceFormatException {
        if (!node.isObject()) {
            throw new TraceFormatException("rootCause: expected an object {\"step\", \"rules\", \"shownBy\"}, found "
                    + InputText.quote(node));
        }
        InputText.known(where + ": rootCause", node, CAUSE_FIELDS);
        int step = RecordJson.read(node.get("step"), Integer.class, "rootCause.step");
        if (step < 0 || step >= failingStep) {
            throw new TraceFormatException("rootCause.step: expected a step before the failing one, 0.."
                    + (failingStep - 1) + ", found " + step);
        }
        String shownBy = RecordJson.read(node.get("shownBy"), String.class, "rootCause.shownBy");
        if (shownBy.isBlank()) {
            throw new TraceFormatException("rootCause.shownBy: expected what showed the cause, found an empty text");
        }
        return new Trace.Cause(step, readStrings(node.get("rules"), "rootCause.rules"), shownBy);
    }

    /** Reads a bounds file: the same JSON object as a trace's {@code bounds}. */
    public static Bounds readBounds(Path file) throws TraceFormatException {
        JsonNode root = parse(file, "a JSON object");
        if (!root.isObject()) {
            throw new TraceFormatException(file + ": bounds: expected an object, found " + InputText.quote(root));
        }
        try {
            return RecordJson.read(root, Bounds.class, "bounds");
        } catch (TraceFormatException e) {
            throw new TraceFormatException(file + ": " + e.getMessage(), e);
        }
    }

    public static String boundsJson(Bounds bounds) {
        try {
            return JSON.writeValueAsString(RecordJson.write(bounds)) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot render bounds", e);
        }
    }

    /** The file's one JSON value: not empty, valid, and with nothing after it but white space. */
    private static JsonNode parse(Path file, String expected) throws TraceFormatException {
        String text = InputText.read(file);
        if (skipWhiteSpace(text, 0) == text.length()) {
            throw new TraceFormatException(file + ": empty: expected " + expected);
        }
        try (JsonParser parser = JSON.createParser(text)) {
            JsonNode root = JSON.readTree(parser);
            int end = skipWhiteSpace(text, (int) parser.currentLocation().getCharOffset());
            if (end < text.length()) {
                throw new TraceFormatException(file + ": trailing content after the JSON value at "
                        + lineAndColumn(text, end));
            }
            return root;
        } catch (JacksonException e) {
            String at = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new TraceFormatException(file + ": not valid JSON" + at + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TraceFormatException(file + ": cannot read: " + e, e);
        }
    }

    private static int skipWhiteSpace(String text, int from) {
        int i = from;
        while (i < text.length() && " \t\r\n".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    /** Where a character is, as Jackson says it (1-based): by the lines before it. */
    private static String lineAndColumn(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (offset - lineStart + 1);
    }

    private static String text(JsonNode root, String field) throws TraceFormatException {
        return RecordJson.read(root.get(field), String.class, field);
    }

    private static List<String> readStrings(JsonNode node, String path) throws TraceFormatException {
        if (node == null || !node.isArray()) {
            throw new TraceFormatException(path + ": expected a list of strings, found " + InputText.quote(node));
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            strings.add(RecordJson.read(node.get(i), String.class, path + "[" + i + "]"));
        }
        return strings;
    }
}
