package dev.ioasid.reports;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
        InputText.known(at, header, HEADER_FIELDS);
        JsonNode format = header.get("format");
        if (format == null || !FORMAT.equals(format.asText())) {
            throw new TraceFormatException(at + ": format: expected \"" + FORMAT + "\", found "
                    + InputText.quote(format));
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
            InputText.known(where, node, STEP_FIELDS);
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
        return InputText.read(file).lines().toList();
    }

    private static JsonNode parse(Path file, int line, String text) throws TraceFormatException {
        try (var parser = JSON.createParser(text)) {
            JsonNode node = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw new TraceFormatException(file + ":" + line + ": more than one JSON value on the line");
            }
            if (node == null || !node.isObject()) {
                throw new TraceFormatException(file + ":" + line + ": expected a JSON object, found "
                        + InputText.quote(node));
            }
            return node;
        } catch (JacksonException e) {
            throw new TraceFormatException(file + ":" + line + ": not valid JSON at column "
                    + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TraceFormatException(file + ":" + line + ": " + e.getMessage(), e);
        }
    }

    private static String optionalText(String where, JsonNode node, String field) throws TraceFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new TraceFormatException(where + ": " + field + ": expected a string, found "
                    + InputText.quote(value));
        }
        return value.textValue();
    }
}
