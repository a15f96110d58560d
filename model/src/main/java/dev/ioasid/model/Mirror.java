package dev.ioasid.model;

import dev.ioasid.contract.Area;
import dev.ioasid.contract.PageMapping;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;

/** The page-by-page translation that a set of IOAS areas defines (what every paging HWPT must hold). */
public final class Mirror {

    private Mirror() {
    }

    public static SortedMap<Integer, PageMapping> pagesOf(SortedMap<Integer, Area> areas) {
        SortedMap<Integer, PageMapping> pages = TreeMap.empty();
        for (var entry : areas) {
            pages = withArea(pages, entry._2);
        }
        return pages;
    }

    /**
     * Whether {@code pages} is exactly {@link #pagesOf}{@code (areas)}, found without building it
     * (checked on every new state the explorer meets).
     */
    public static boolean mirrors(SortedMap<Integer, PageMapping> pages, SortedMap<Integer, Area> areas) {
        int count = 0;
        for (var entry : areas) {
            Area area = entry._2;
            for (int i = 0; i < area.pages(); i++) {
                PageMapping page = pages.getOrElse(area.iova() + i, null);
                if (page == null || !page.equals(new PageMapping(area.iova() + i, area.host() + i, area.access()))) {
                    return false;
                }
            }
            count += area.pages();
        }
        return count == pages.size();
    }

    static SortedMap<Integer, PageMapping> withArea(SortedMap<Integer, PageMapping> pages, Area area) {
        for (int i = 0; i < area.pages(); i++) {
            pages = pages.put(area.iova() + i, new PageMapping(area.iova() + i, area.host() + i, area.access()));
        }
        return pages;
    }

    static SortedMap<Integer, PageMapping> withoutArea(SortedMap<Integer, PageMapping> pages, Area area) {
        for (int i = 0; i < area.pages(); i++) {
            pages = pages.remove(area.iova() + i);
        }
        return pages;
    }
}
