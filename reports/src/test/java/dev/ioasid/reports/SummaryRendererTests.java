package dev.ioasid.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SummaryRendererTests {
    @Test
    void okComesFirstThenErrnosOnceEach() {
        Map<String, Map<String, Integer>> outcomes = new TreeMap<>(Map.of(
                "attach", new TreeMap<>(Map.of("ok", 3, "EBUSY", 1)),
                "detach", new TreeMap<>(Map.of("ok", 2))));

        String text = SummaryRenderer.text("run", List.of("fact"), outcomes, List.of("ATT-1"), List.of("ATT-1", "ATT-2"));

        assertThat(text).isEqualTo("""
                run
                  fact
                  operation         ok      EBUSY
                  attach             3          1
                  detach             2          -
                  rules exercised: 1 of 2 (not exercised: ATT-2)
                """);
    }
}
