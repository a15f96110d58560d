package dev.ioasid.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongHashSetTests {
    @Test
    void behavesLikeASetAndStaysWithinSixteenBytesAState() {
        LongHashSet set = new LongHashSet(16);
        Set<Long> reference = new HashSet<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long v = random.nextLong() % 50_000;
            assertThat(set.add(v)).isEqualTo(reference.add(v == 0 ? 1 : v));
            if (i % 997 == 0) {
                assertThat(set.contains(v)).isTrue();
                assertThat(set.contains(v + 100_000)).isEqualTo(reference.contains(v + 100_000));
            }
            if (set.size() >= 1000) {
                assertThat(set.bytes()).isLessThanOrEqualTo(16L * set.size());
            }
        }
        assertThat(set.size()).isEqualTo(reference.size());
    }
}
