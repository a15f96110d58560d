package dev.ioasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Area;
import dev.ioasid.contract.PageMapping;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Mirror#mirrors} says exactly whether pages are what {@link Mirror#pagesOf} builds. */
class MirrorTests {

    @Test
    void mirrorsAgreesWithBuildingTheMirror() {
        Random random = new Random(5);
        for (int trial = 0; trial < 2_000; trial++) {
            SortedMap<Integer, Area> areas = randomAreas(random);
            SortedMap<Integer, PageMapping> mirror = Mirror.pagesOf(areas);
            assertThat(Mirror.mirrors(mirror, areas)).isTrue();

            SortedMap<Integer, PageMapping> other = Mirror.pagesOf(randomAreas(random));
            assertThat(Mirror.mirrors(other, areas)).as("%s against %s", other, areas).isEqualTo(other.equals(mirror));
            if (!mirror.isEmpty()) {
                int iova = mirror.keySet().head();
                assertThat(Mirror.mirrors(mirror.remove(iova), areas)).isFalse();
                assertThat(Mirror.mirrors(mirror.put(iova, new PageMapping(iova, 99, Access.READ)), areas)).isFalse();
            }
            assertThat(Mirror.mirrors(mirror.put(50, new PageMapping(50, 0, Access.READ)), areas)).isFalse();
        }
    }

    /** Disjoint areas within IOVA pages 0..7. */
    private static SortedMap<Integer, Area> randomAreas(Random random) {
        SortedMap<Integer, Area> areas = TreeMap.empty();
        int iova = random.nextInt(3);
        while (iova < 8 && random.nextInt(4) != 0) {
            int pages = 1 + random.nextInt(Math.min(3, 8 - iova));
            Access access = random.nextBoolean() ? Access.READ : Access.READ_WRITE;
            areas = areas.put(iova, new Area(iova, pages, random.nextInt(4), access));
            iova += pages + random.nextInt(2);
        }
        return areas;
    }
}
