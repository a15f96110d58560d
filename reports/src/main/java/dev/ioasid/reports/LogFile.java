package dev.ioasid.reports;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The recorded-log format, {@value #FORMAT}: JSON lines, a header then one step a line (see
 * {@code docs/log-format.md}). Reading is strict and linear in the file's length: every error names
 * the file, the line and the field, and an unknown field is an error, so that a misspelt field is
 * never silently read as absent.
 */
public final class LogFile {
    public static final String FORMAT = "ioasid-contract-log/1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HEADER_FIELDS = Set.of("format", "name", "source", "bounds");
    private static final Set<String> STEP_FIELDS = Set.of("op", "observed", "note");
    private static final int QUOTED = 120;

    private LogFile() {
    }

    public static RecordedLog read(Path file) throws TraceFormatException {
        List<String> lines = lines(file);
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first == lines.size()) {
            throw new TraceFormatException(file + ": empty: expected a header line {\"format\":\"" + FORMAT + "\", ...}");
        }
        JsonNode header = parse(file, first + 1, lines.get(first));
        String at = file + ":" + (first + 1);
        known(at, header, HEADER_FIELDS);
        JsonNode format = header.get("format");
        if (format == null || !FORMAT.equals(format.asText())) {
            throw new TraceFormatException(at + ": format: expected \"" + FORMAT + "\", found " + quote(format));
        }
        String name = optionalText(at, header, "name");
        String source = optionalText(at, header, "source");
        Bounds bounds;
        try {
            bounds = RecordJson.read(header.get("bounds"), Bounds.class, "bounds");
        } catch (TraceFormatException e) {
            throw new TraceFormatException(at + ": " + e.getMessage(), e);
        }
        List<RecordedLog.Entry> steps = new ArrayList<>();
        for (int i = first + 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            int line = i + 1;
            String where = file + ":" + line;
            JsonNode node = parse(file, line, lines.get(i));
            known(where, node, STEP_FIELDS);
            try {
                Operation op = RecordJson.readOperation(node.get("op"), "op");
                Result observed = RecordJson.readResult(node.get("observed"), "observed");
                steps.add(new RecordedLog.Entry(line, op, observed, optionalText(where, node, "note")));
            } catch (TraceFormatException e) {
                throw new TraceFormatException(where + ": " + e.getMessage(), e);
            }
        }
        return new RecordedLog(name, source, bounds, steps);
    }

    /** The log as text: a header and one line a step. */
    public static String toText(RecordedLog log) {
        StringBuilder out = new StringBuilder();
        ObjectNode header = JSON.createObjectNode();
        header.put("format", FORMAT);
        header.put("name", log.name());
        if (!log.source().isEmpty()) {
            header.put("source", log.source());
        }
        header.set("bounds", RecordJson.write(log.bounds()));
        out.append(header).append('\n');
        for (RecordedLog.Entry step : log.steps()) {
            ObjectNode node = JSON.createObjectNode();
            node.set("op", RecordJson.write(step.op()));
            node.set("observed", RecordJson.write(step.observed()));
            if (!step.note().isEmpty()) {
                node.put("note", step.note());
            }
            out.append(node).append('\n');
        }
        return out.toString();
    }

    public static void write(Path file, RecordedLog log) throws IOException {
        TraceFile.writeWhole(file, toText(log));
    }

    private static List<String> lines(Path file) throws TraceFormatException {
        // A strict decoder: a binary file is reported as not UTF-8 text, not as a decoder's exception name.
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return lines;
        } catch (CharacterCodingException e) {
            throw new TraceFormatException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new TraceFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path file, int line, String text) throws TraceFormatException {
        try (var parser = JSON.createParser(text)) {
            JsonNode node = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw new TraceFormatException(file + ":" + line + ": more than one JSON value on the line");
            }
            if (node == null || !node.isObject()) {
                throw new TraceFormatException(file + ":" + line + ": expected a JSON object, found " + quote(node));
            }
            return node;
        } catch (JacksonException e) {
            throw new TraceFormatException(file + ":" + line + ": not valid JSON at column "
                    + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TraceFormatException(file + ":" + line + ": " + e.getMessage(), e);
        }
    }

    private static void known(String where, JsonNode node, Set<String> fields) throws TraceFormatException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!fields.contains(field)) {
                throw new TraceFormatException(where + ": unknown field \"" + field + "\"; known: "
                        + String.join(", ", new java.util.TreeSet<>(fields)));
            }
        }
    }

    private static String optionalText(String where, JsonNode node, String field) throws TraceFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new TraceFormatException(where + ": " + field + ": expected a string, found " + quote(value));
        }
        return value.textValue();
    }

    /** A value as it appears in a message: never more than a line's worth of it. */
    static String quote(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() <= QUOTED ? text : text.substring(0, QUOTED) + "... (" + text.length() + " characters)";
    }
}
