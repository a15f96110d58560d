package dev.ioasid.reports.html;

import dev.ioasid.reports.html.SequenceDiagram.Lane;
import dev.ioasid.reports.html.SequenceDiagram.Message;
import dev.ioasid.reports.html.SequenceDiagram.Story;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws a story as SVG: a header of lane boxes, lane lines, then one 28 px row per message (a long
 * note takes two lines, and its row grows by one line).
 */
final class SvgWriter {
    /** Lane lines only: a browser test counts lanes by this color, so nothing else may use it. */
    private static final String LANE_COLOR = "#1f5fbf";
    /** The failing row's band only. */
    private static final String FAILING_BAND = "#f4c7c3";
    private static final String CAUSE_BAND = "#ffe9b3";
    /** Behind an arrow's label on a banded row: a tint next to the band's, which stays the band's own. */
    private static final String FAILING_LABEL_BACKGROUND = "#f5c9c5";
    private static final String CAUSE_LABEL_BACKGROUND = "#ffeab5";
    private static final String FAILING_INK = "#c62828";
    private static final String CAUSE_INK = "#8a5a00";
    private static final String INK = "#222222";
    private static final String FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace";

    private static final int MARGIN = 44;
    private static final int SPACING = 170;
    private static final int HEADER_TOP = 8;
    private static final int HEADER_HEIGHT = 30;
    private static final int FIRST_ROW_TOP = 52;
    private static final int ROW = 28;
    private static final int LINE = 15;
    private static final int MIN_WIDTH = 520;
    /** A note longer than this takes two lines. */
    private static final int WRAP_CHARS = 84;
    /** A line longer than this is cut in the drawing; the full text stays in the row's tooltip. */
    private static final int LINE_CHARS = 100;
    private static final double CHAR_WIDTH = 7.3;

    /** A message laid out: its text lines, the rule drawn after them, and where its row is. */
    private record Row(Message message, List<String> lines, String rule, int top, int height) {
        boolean note() {
            return message.from().equals(message.to());
        }

        /** The y of the row's first line axis, where arrows and notes sit. */
        int axis() {
            return top + ROW / 2;
        }

        int textWidth() {
            int widest = 0;
            for (int i = 0; i < lines.size(); i++) {
                int chars = lines.get(i).length() + (i == lines.size() - 1 && !rule.isEmpty() ? rule.length() + 1 : 0);
                widest = Math.max(widest, (int) Math.ceil(chars * CHAR_WIDTH));
            }
            return widest;
        }
    }

    private final Story story;
    private final Map<String, Integer> laneX = new HashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final int width;
    private final int height;
    private final StringBuilder out = new StringBuilder();

    SvgWriter(Story story) {
        this.story = story;
        for (int i = 0; i < story.lanes().size(); i++) {
            laneX.put(story.lanes().get(i).id(), MARGIN + SPACING / 2 + i * SPACING);
        }
        int top = FIRST_ROW_TOP;
        for (Message m : story.messages()) {
            List<String> lines = lines(m);
            Row row = new Row(m, lines, ruleText(m), top, ROW + (lines.size() - 1) * LINE);
            rows.add(row);
            top += row.height();
        }
        int widest = rows.stream().mapToInt(r -> r.textWidth() + 20).max().orElse(0);
        width = Math.max(MIN_WIDTH, Math.max(MARGIN + story.lanes().size() * SPACING + 8, MARGIN + widest + 8));
        height = story.lanes().isEmpty() ? 60 : top + 20;
    }

    String write() {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sequence-diagram\" role=\"img\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\" font-family=\"").append(FONT).append("\" font-size=\"12\">\n");
        out.append("<title>Page request and fault queue sequence</title>\n");
        out.append("<desc>").append(Xml.escape(description())).append("</desc>\n");
        if (story.lanes().isEmpty()) {
            out.append("<text x=\"12\" y=\"34\" fill=\"").append(INK)
                    .append("\">No page request or fault queue traffic in this trace.</text>\n</svg>");
            return out.toString();
        }
        defs();
        bands();
        header();
        laneLines();
        rows.forEach(this::row);
        return out.append("</svg>").toString();
    }

    private String description() {
        if (story.lanes().isEmpty()) {
            return "No page request or fault queue traffic in this trace.";
        }
        StringBuilder d = new StringBuilder("Sequence diagram of who owned each page request group, with lanes ");
        d.append(String.join(", ", story.lanes().stream().map(Lane::label).toList()))
                .append(" from left to right and ").append(story.messages().size())
                .append(" messages from top to bottom, each numbered by its step. Arrows go from the lane that"
                        + " sent to the lane that received; boxes on one lane are notes.");
        Set<Integer> failing = steps(true);
        Set<Integer> cause = steps(false);
        if (!failing.isEmpty()) {
            d.append(" Step ").append(failing.iterator().next()).append(" fails (on red).");
        }
        if (!cause.isEmpty()) {
            d.append(" Step ").append(cause.iterator().next()).append(" is the root cause (on amber).");
        }
        return d.toString();
    }

    /** The 1-based steps of failing (or root-cause) messages. */
    private Set<Integer> steps(boolean failing) {
        Set<Integer> steps = new LinkedHashSet<>();
        for (Message m : story.messages()) {
            if (failing ? m.failing() : m.rootCause()) {
                steps.add(m.step() + 1);
            }
        }
        return steps;
    }

    private void defs() {
        out.append("<defs>\n");
        marker("sd-arrow", INK);
        marker("sd-arrow-failing", FAILING_INK);
        marker("sd-arrow-cause", CAUSE_INK);
        out.append("</defs>\n");
    }

    private void marker(String id, String color) {
        out.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\"")
                .append(" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"")
                .append(color).append("\"/></marker>\n");
    }

    /** Full-width bands under everything else, so that the failing and root-cause rows stand out. */
    private void bands() {
        for (Row row : rows) {
            Message m = row.message();
            if (m.failing() || m.rootCause()) {
                out.append("<rect class=\"").append(m.failing() ? "failing-band" : "root-cause-band")
                        .append("\" x=\"0\" y=\"").append(row.top()).append("\" width=\"").append(width)
                        .append("\" height=\"").append(row.height()).append("\" fill=\"")
                        .append(m.failing() ? FAILING_BAND : CAUSE_BAND).append("\"/>\n");
            }
        }
    }

    private void header() {
        for (Lane lane : story.lanes()) {
            int x = laneX.get(lane.id());
            out.append("<g class=\"lane-header ").append(lane.kind()).append("\"><rect x=\"").append(x - 75)
                    .append("\" y=\"").append(HEADER_TOP).append("\" width=\"150\" height=\"").append(HEADER_HEIGHT)
                    .append("\" rx=\"4\" fill=\"#eef1f5\" stroke=\"#6b7280\"/><text x=\"").append(x).append("\" y=\"")
                    .append(HEADER_TOP + 19).append("\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"").append(INK)
                    .append("\">").append(Xml.escape(lane.label())).append("</text></g>\n");
        }
    }

    private void laneLines() {
        for (Lane lane : story.lanes()) {
            int x = laneX.get(lane.id());
            out.append("<line class=\"lane\" data-lane=\"").append(Xml.escape(lane.id())).append("\" x1=\"").append(x)
                    .append("\" y1=\"").append(HEADER_TOP + HEADER_HEIGHT).append("\" x2=\"").append(x)
                    .append("\" y2=\"").append(height).append("\" stroke=\"").append(LANE_COLOR)
                    .append("\" stroke-width=\"2\"/>\n");
        }
    }

    private void row(Row row) {
        Message m = row.message();
        String ink = ink(m);
        out.append("<g class=\"message").append(row.note() ? " note" : "").append(m.failing() ? " failing" : "")
                .append(m.rootCause() ? " root-cause" : "").append("\" data-step=\"").append(m.step() + 1)
                .append("\" data-from=\"").append(Xml.escape(m.from())).append("\" data-to=\"").append(Xml.escape(m.to()))
                .append("\">");
        out.append("<title>").append(Xml.escape("step " + (m.step() + 1) + ": " + m.label()
                + (m.rule().isEmpty() ? "" : " [" + m.rule() + "]"))).append("</title>");
        out.append("<text x=\"").append(MARGIN - 10).append("\" y=\"").append(row.axis() + 4)
                .append("\" text-anchor=\"end\" fill=\"").append(ink).append("\">").append(m.step() + 1).append(".</text>");
        Integer from = laneX.get(m.from());
        Integer to = laneX.get(m.to());
        if (from != null && to != null) {
            if (row.note()) {
                note(row, from);
            } else {
                arrow(row, from, to);
            }
        }
        out.append("</g>\n");
    }

    private void note(Row row, int x) {
        Message m = row.message();
        int boxWidth = row.textWidth() + 14;
        int left = clamp(x - boxWidth / 2, MARGIN, width - boxWidth - 4);
        out.append("<rect x=\"").append(left).append("\" y=\"").append(row.axis() - 10).append("\" width=\"")
                .append(boxWidth).append("\" height=\"").append(20 + (row.lines().size() - 1) * LINE)
                .append("\" rx=\"6\" fill=\"#ffffff\" stroke=\"")
                .append(m.failing() || m.rootCause() ? ink(m) : "#8c8c8c").append("\"/>");
        text(row, left + boxWidth / 2, row.axis() + 4);
    }

    private void arrow(Row row, int from, int to) {
        Message m = row.message();
        String marker = m.failing() ? "sd-arrow-failing" : m.rootCause() ? "sd-arrow-cause" : "sd-arrow";
        int y = row.axis() + 6;
        int end = to + (to > from ? -1 : 1); // stop at the lane line's edge, so the head shows
        out.append("<line x1=\"").append(from).append("\" y1=\"").append(y).append("\" x2=\"").append(end)
                .append("\" y2=\"").append(y).append("\" stroke=\"").append(ink(m))
                .append("\" stroke-width=\"1.5\" marker-end=\"url(#").append(marker).append(")\"/>");
        int half = row.textWidth() / 2;
        int x = clamp((from + to) / 2, MARGIN + half + 2, width - half - 2);
        // The row's background behind the label keeps lane lines from striking through a long one.
        out.append("<rect x=\"").append(x - half - 3).append("\" y=\"").append(row.axis() - 13).append("\" width=\"")
                .append(2 * half + 6).append("\" height=\"15\" fill=\"").append(labelBackground(m)).append("\"/>");
        text(row, x, row.axis() - 3);
    }

    /** The row's lines centered at x, the rule after the last in lighter type. */
    private void text(Row row, int x, int y) {
        out.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"middle\" fill=\"")
                .append(ink(row.message())).append("\">").append(Xml.escape(row.lines().get(0)));
        for (String line : row.lines().subList(1, row.lines().size())) {
            out.append("<tspan x=\"").append(x).append("\" dy=\"").append(LINE).append("\">").append(Xml.escape(line))
                    .append("</tspan>");
        }
        if (!row.rule().isEmpty()) {
            // dx rather than spaces: XML collapses them.
            out.append("<tspan dx=\"8\" font-size=\"11\" fill-opacity=\"0.7\">").append(Xml.escape(row.rule()))
                    .append("</tspan>");
        }
        out.append("</text>");
    }

    private static String ink(Message m) {
        return m.failing() ? FAILING_INK : m.rootCause() ? CAUSE_INK : INK;
    }

    private static String labelBackground(Message m) {
        return m.failing() ? FAILING_LABEL_BACKGROUND : m.rootCause() ? CAUSE_LABEL_BACKGROUND : "#ffffff";
    }

    /** The rule as drawn after the label, {@code [PRQ-4]}, unless the label already names it. */
    private static String ruleText(Message m) {
        return m.rule().isEmpty() || m.label().contains(m.rule()) ? "" : "[" + m.rule() + "]";
    }

    /**
     * The lines a message is drawn on: one, or two for a long note, broken before what was
     * observed where it says so (the failing step's note), else at a space.
     */
    private static List<String> lines(Message m) {
        String label = m.label();
        String rule = ruleText(m);
        int ruleChars = rule.isEmpty() ? 0 : rule.length() + 1;
        if (!m.from().equals(m.to()) || label.length() + ruleChars <= WRAP_CHARS) {
            return List.of(cut(label, LINE_CHARS - ruleChars));
        }
        int observed = label.lastIndexOf(", observed ");
        int space = label.lastIndexOf(' ', WRAP_CHARS);
        int split = observed > 0 ? observed + 1 : space > 0 ? space : WRAP_CHARS;
        return List.of(cut(label.substring(0, split), LINE_CHARS),
                cut(label.substring(split).strip(), LINE_CHARS - ruleChars));
    }

    /** The text cut in the middle to {@code chars}, so that both its start and its end show. */
    private static String cut(String text, int chars) {
        int keep = Math.max(8, chars);
        if (text.length() <= keep) {
            return text;
        }
        int tail = (keep - 1) * 2 / 5;
        return text.substring(0, keep - 1 - tail) + "\u2026" + text.substring(text.length() - tail);
    }

    private static int clamp(int value, int low, int high) {
        return Math.max(low, Math.min(value, Math.max(low, high)));
    }
}
