package dev.ioasid.reports.html;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A table for the report: column headings and rows, each cell with a CSS class (a heat level, or
 * killed/survived) and an optional tooltip.
 */
public record Table(String title, String caption, List<String> columns, List<Row> rows) {

    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public record Row(String header, List<Cell> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }

    /**
     * @param css  a heat level ({@code heat-0} to {@code heat-5}) or a judgement ({@code good}, {@code bad},
     *             {@code neutral}), or empty
     * @param link where the cell's text links to (another report beside this one), or empty
     */
    public record Cell(String text, String css, String tooltip, String link) {
        public Cell(String text, String css, String tooltip) {
            this(text, css, tooltip, "");
        }

        public static Cell plain(String text) {
            return new Cell(text, "", "");
        }

        public static Cell judged(String text, boolean good) {
            return new Cell(text, good ? "good" : "bad", "");
        }

        public boolean hasLink() {
            return !link.isEmpty();
        }
    }

    /** A table of plain rows. */
    public static Table of(String title, String caption, List<String> columns, List<Row> rows) {
        return new Table(title, caption, columns, rows);
    }

    /** Heat levels 0 (none) to 5; a count's level grows with its logarithm, so rare outcomes still show. */
    static int heat(long count, long max) {
        if (count <= 0 || max <= 0) {
            return 0;
        }
        double scaled = Math.log1p(count) / Math.log1p(max);
        return 1 + (int) Math.min(4, Math.floor(scaled * 4.999));
    }

    /**
     * The operation x outcome table as a heat map: one row per operation, the {@code ok} column first
     * and then the outcomes in name order, as the text summary prints them.
     */
    public static Table heatMap(String title, String caption, Map<String, Map<String, Integer>> counts) {
        TreeSet<String> columns = new TreeSet<>(Comparator.comparing((String c) -> !c.equals("ok"))
                .thenComparing(Comparator.naturalOrder()));
        counts.values().forEach(row -> columns.addAll(row.keySet()));
        long max = counts.values().stream().flatMap(r -> r.values().stream()).mapToLong(Integer::longValue).max().orElse(0);
        List<Row> rows = new ArrayList<>();
        counts.forEach((operation, row) -> {
            List<Cell> cells = new ArrayList<>();
            for (String column : columns) {
                Integer count = row.get(column);
                cells.add(count == null ? new Cell("-", "heat-0", operation + " never returned " + column)
                        : new Cell(String.format("%,d", count), "heat-" + heat(count, max),
                        String.format("%s returned %s %,d times", operation, column, count)));
            }
            rows.add(new Row(operation, cells));
        });
        List<String> headings = new ArrayList<>();
        headings.add("operation");
        headings.addAll(columns);
        return new Table(title, caption, headings, rows);
    }
}
