package dev.ioasid.reports.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of every rule of SPEC.md, read from the copy the build puts beside this class, so that a
 * report quotes the rule that decided a step instead of sending the reader to another file.
 */
public final class SpecRules {

    /** One row of a SPEC.md rule table. */
    public record Rule(String id, String text, String errno, String kernel) {
        public String anchor() {
            return SpecRules.anchor(id);
        }
    }

    // | ID | rule | errno | kernel |: the first column is an ID such as SET-3 or PASID-11.
    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*([A-Z][A-Z0-9]*-\\d+)\\s*\\|(.*?)\\|(.*?)\\|(.*?)\\|\\s*$");

    private static final SpecRules BUNDLED = load();

    private final Map<String, Rule> rules;

    SpecRules(Map<String, Rule> rules) {
        this.rules = Collections.unmodifiableMap(rules);
    }

    /** The id of the page element that quotes a rule, which every link to the rule names. */
    public static String anchor(String id) {
        return "rule-" + id;
    }

    /** The rules of the SPEC.md this build was made from. */
    public static SpecRules bundled() {
        return BUNDLED;
    }

    public Optional<Rule> rule(String id) {
        return Optional.ofNullable(rules.get(id));
    }

    public int size() {
        return rules.size();
    }

    static SpecRules parse(String markdown) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (String line : markdown.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rules.putIfAbsent(m.group(1), new Rule(m.group(1), plain(m.group(2)), plain(m.group(3)), plain(m.group(4))));
            }
        }
        return new SpecRules(rules);
    }

    /** Markdown's inline marks dropped: the template escapes what is left. */
    private static String plain(String cell) {
        return cell.trim().replace("`", "").replace("**", "");
    }

    private static SpecRules load() {
        try (InputStream in = SpecRules.class.getResourceAsStream("SPEC.md")) {
            if (in == null) {
                throw new IllegalStateException("SPEC.md is missing from the reports jar: the build copies it there");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
