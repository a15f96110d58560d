package dev.ioasid.reports.html;

import java.util.List;

/** A small vertical bar chart as inline SVG (the explorer's new states by depth). */
public final class BarChart {

    private static final int HEIGHT = 160;
    private static final int BAR = 22;
    private static final int GAP = 6;
    private static final int LEFT = 64;

    private BarChart() {
    }

    /** One bar: its label under the axis and its value. */
    public record Bar(String label, long value) {
    }

    public static String svg(String description, String xAxis, List<Bar> bars) {
        long max = bars.stream().mapToLong(Bar::value).max().orElse(0);
        int width = LEFT + Math.max(1, bars.size()) * (BAR + GAP) + 16;
        int height = HEIGHT + 52;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar-chart\" role=\"img\" width=\"%d\" "
                + "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">", width, height, width, height));
        svg.append("<title>").append(Xml.escape(description)).append("</title>");
        svg.append(String.format("<text x=\"4\" y=\"14\" fill=\"#444\">%s</text>", Xml.escape(String.format("%,d", max))));
        svg.append(String.format("<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", LEFT - 4, LEFT - 4, HEIGHT + 10));
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int h = max == 0 ? 0 : (int) Math.max(bar.value() > 0 ? 1 : 0, Math.round((double) bar.value() / max * HEIGHT));
            int x = LEFT + i * (BAR + GAP);
            svg.append(String.format("<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#5b8def\">"
                    + "<title>%s</title></rect>", x, HEIGHT + 10 - h, BAR, h,
                    Xml.escape(String.format("%s %s: %,d", xAxis, bar.label(), bar.value()))));
            svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s</text>",
                    x + BAR / 2, HEIGHT + 24, Xml.escape(bar.label())));
        }
        svg.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"#444\">%s</text>", LEFT, HEIGHT + 44, Xml.escape(xAxis)));
        return svg.append("</svg>").toString();
    }
}
