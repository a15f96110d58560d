package dev.ioasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SPEC.md and {@link Rule} list the same rules, in the same order. */
class SpecRulesTests {
    private static final Pattern RULE_ROW = Pattern.compile("^\\| ([A-Z]+-\\d+) \\|", Pattern.MULTILINE);

    @Test
    void specAndRuleEnumListTheSameRules() throws IOException {
        String spec = Files.readString(Path.of("..", "SPEC.md"));
        Set<String> inSpec = new LinkedHashSet<>();
        Matcher matcher = RULE_ROW.matcher(spec);
        while (matcher.find()) {
            inSpec.add(matcher.group(1));
        }

        assertThat(inSpec).containsExactlyElementsOf(Arrays.stream(Rule.values()).map(Rule::id).toList());
    }

    @Test
    void ruleIdsAreUnique() {
        assertThat(Arrays.stream(Rule.values()).map(Rule::id)).doesNotHaveDuplicates();
    }
}
