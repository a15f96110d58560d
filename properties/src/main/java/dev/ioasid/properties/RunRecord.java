package dev.ioasid.properties;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioasid.contract.Bounds;
import dev.ioasid.model.Rule;
import dev.ioasid.reports.RecordJson;
import dev.ioasid.reports.TraceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one property run (or one shard of a campaign) covered and concluded, as a file a later
 * {@code merge} reads: the configuration, the verdict, the trace file of its failure, and the counts
 * its summary and health warnings are made of. Counts of disjoint runs add up.
 *
 * @param shard  1-based shard of the campaign ({@code 1} of {@code 1} for an unsharded run)
 * @param trace  the failure's trace file, as written (null when the run passed or could not write it)
 */
public record RunRecord(String implementation, Bounds bounds, long seed, int length, int tries, int shard, int shards,
                        boolean feedback, boolean passed, long sequences, long steps, long nestedDma, long staleAccepted,
                        Map<String, Map<String, Integer>> outcomes, Map<String, Integer> ruleSequences,
                        Map<String, Integer> situationSequences, Map<String, Integer> okSequences, String trace) {

    public static final String FORMAT = "ioasid-contract-run/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> FIELDS = Set.of("format", "implementation", "bounds", "seed", "length", "tries",
            "shard", "shards", "feedback", "passed", "sequences", "steps", "nestedDma", "staleAccepted", "outcomes",
            "ruleSequences", "situationSequences", "okSequences", "trace");

    /** The record of a finished run without coverage feedback. */
    public static RunRecord of(PropertyResult result, int shard, int shards, Path trace) {
        return of(result, shard, shards, false, trace);
    }

    /** The record of a finished run; {@code feedback}: whether the generator had coverage feedback on. */
    public static RunRecord of(PropertyResult result, int shard, int shards, boolean feedback, Path trace) {
        Coverage c = result.coverage();
        Map<String, Integer> rules = new TreeMap<>();
        for (Rule rule : Rule.values()) {
            if (c.sequencesWith(rule) > 0) {
                rules.put(rule.id(), c.sequencesWith(rule));
            }
        }
        Map<String, Integer> situations = new TreeMap<>();
        for (Situation situation : Situation.values()) {
            situations.put(situation.name(), c.sequencesWith(situation));
        }
        Map<String, Integer> ok = new TreeMap<>();
        c.outcomes().keySet().forEach(call -> ok.put(call, c.sequencesWithOk(call)));
        PropertyConfig config = result.config();
        return new RunRecord(result.implementation(), config.bounds(), config.seed(), config.length(), config.tries(),
                shard, shards, feedback, result instanceof PropertyResult.Passed, c.sequences(), c.steps(), c.nestedDma(),
                c.staleAccepted(), c.outcomes(), rules, situations, ok, trace == null ? null : trace.toString());
    }

    /** The run's counts as a coverage, for the summary and the health warnings. */
    public Coverage coverage() {
        Coverage c = new Coverage();
        c.add(this);
        return c;
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("implementation", implementation);
        root.set("bounds", RecordJson.write(bounds));
        root.put("seed", seed);
        root.put("length", length);
        root.put("tries", tries);
        root.put("shard", shard);
        root.put("shards", shards);
        if (feedback) {
            root.put("feedback", true); // absent: off, as in records written before it existed
        }
        root.put("passed", passed);
        root.put("sequences", sequences);
        root.put("steps", steps);
        root.put("nestedDma", nestedDma);
        root.put("staleAccepted", staleAccepted);
        root.set("outcomes", JSON.valueToTree(outcomes));
        root.set("ruleSequences", JSON.valueToTree(ruleSequences));
        root.set("situationSequences", JSON.valueToTree(situationSequences));
        root.set("okSequences", JSON.valueToTree(okSequences));
        if (trace != null) {
            root.put("trace", trace);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot render a run record", e);
        }
    }

    /** Reads a run record; a file that is not one is reported with the file and the field. */
    public static RunRecord read(Path file) throws TraceFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new TraceFormatException(file + ": cannot read a run record (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new TraceFormatException(file + ": expected a run record {\"format\": \"" + FORMAT + "\", ...}");
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new TraceFormatException(file + ": format: expected \"" + FORMAT + "\", found " + root.get("format"));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new TraceFormatException(file + ": unknown field \"" + name + "\"; known: " + new java.util.TreeSet<>(FIELDS));
            }
        }
        try {
            return new RunRecord(RecordJson.read(root.get("implementation"), String.class, "implementation"),
                    RecordJson.read(root.get("bounds"), Bounds.class, "bounds"),
                    RecordJson.read(root.get("seed"), Long.class, "seed"),
                    RecordJson.read(root.get("length"), Integer.class, "length"),
                    RecordJson.read(root.get("tries"), Integer.class, "tries"),
                    RecordJson.read(root.get("shard"), Integer.class, "shard"),
                    RecordJson.read(root.get("shards"), Integer.class, "shards"),
                    root.has("feedback") && RecordJson.read(root.get("feedback"), Boolean.class, "feedback"),
                    RecordJson.read(root.get("passed"), Boolean.class, "passed"),
                    RecordJson.read(root.get("sequences"), Long.class, "sequences"),
                    RecordJson.read(root.get("steps"), Long.class, "steps"),
                    RecordJson.read(root.get("nestedDma"), Long.class, "nestedDma"),
                    RecordJson.read(root.get("staleAccepted"), Long.class, "staleAccepted"),
                    table(root, "outcomes"), counts(root.get("ruleSequences"), "ruleSequences"),
                    counts(root.get("situationSequences"), "situationSequences"),
                    counts(root.get("okSequences"), "okSequences"),
                    root.hasNonNull("trace") ? RecordJson.read(root.get("trace"), String.class, "trace") : null);
        } catch (TraceFormatException e) {
            throw new TraceFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Integer> counts(JsonNode node, String field) throws TraceFormatException {
        if (node == null || !node.isObject()) {
            throw new TraceFormatException(field + ": expected an object of counts, found " + node);
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int count = RecordJson.read(e.getValue(), Integer.class, field + "." + e.getKey());
            if (count < 0) {
                throw new TraceFormatException(field + "." + e.getKey() + ": expected a count, found " + count);
            }
            counts.put(e.getKey(), count);
        }
        return counts;
    }

    private static Map<String, Map<String, Integer>> table(JsonNode root, String field) throws TraceFormatException {
        JsonNode node = root.get(field);
        if (node == null || !node.isObject()) {
            throw new TraceFormatException(field + ": expected an object of rows, found " + node);
        }
        Map<String, Map<String, Integer>> table = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            table.put(e.getKey(), counts(e.getValue(), field + "." + e.getKey()));
        }
        return table;
    }

    /** The campaign-level facts every shard of one campaign shares; merging checks them. */
    public List<Object> campaign() {
        return List.of(implementation, bounds, seed, length, tries, shards);
    }
}
