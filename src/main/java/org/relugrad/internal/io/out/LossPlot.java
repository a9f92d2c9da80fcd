package org.relugrad.internal.io.out;

import java.util.Locale;

/**
 * The loss against the iteration as an SVG image (plain text, opened by any browser): a log-scale y axis with a tick
 * at every power of ten in range, one point per iteration joined by a line. Losses of 0 have no logarithm and are
 * left out of the line.
 */
public final class LossPlot {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;

    private LossPlot() {
    }

    /** The SVG document for {@code losses}, entry i the loss after iteration i. */
    public static String svg(double[] losses) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double loss : losses) {
            if (loss > 0 && Double.isFinite(loss)) {
                low = Math.min(low, Math.log10(loss));
                high = Math.max(high, Math.log10(loss));
            }
        }
        if (low > high) {
            low = 0;
            high = 1;
        }
        int firstDecade = (int) Math.floor(low);
        int lastDecade = (int) Math.ceil(high);
        if (lastDecade == firstDecade) {
            lastDecade++;
        }
        int lastIteration = Math.max(1, losses.length - 1);
        Scale scale = new Scale(firstDecade, lastDecade, lastIteration);

        StringBuilder out = new StringBuilder();
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        out.append("  <title>relugrad fit: loss by iteration</title>\n");
        out.append(String.format(Locale.ROOT, "  <rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        out.append(String.format(Locale.ROOT, "  <g id=\"axes\" stroke=\"black\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
                + "y2=\"%d\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>%n", LEFT, TOP, LEFT,
                HEIGHT - BOTTOM, LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        out.append("  <g id=\"y-ticks\">\n");
        for (int decade = firstDecade; decade <= lastDecade; decade++) {
            double y = scale.y(decade);
            out.append(String.format(Locale.ROOT, "    <line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\" data-log10=\"%d\">1e%d</text>%n", LEFT, y,
                    WIDTH - RIGHT, y, LEFT - 6, y + 4, decade, decade));
        }
        out.append("  </g>\n  <g id=\"x-ticks\">\n");
        int step = Math.max(1, (int) Math.ceil(lastIteration / 10.0));
        for (int i = 0; i <= lastIteration; i += step) {
            out.append(String.format(Locale.ROOT, "    <text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    scale.x(i), HEIGHT - BOTTOM + 18, i));
        }
        out.append("  </g>\n");
        out.append("  <polyline id=\"loss\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"");
        boolean first = true;
        for (int i = 0; i < losses.length; i++) {
            if (losses[i] > 0 && Double.isFinite(losses[i])) {
                out.append(first ? "" : " ").append(String.format(Locale.ROOT, "%.2f,%.2f", scale.x(i),
                        scale.y(Math.log10(losses[i]))));
                first = false;
            }
        }
        out.append("\"/>\n");
        out.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\" text-anchor=\"middle\">iteration</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12));
        out.append(String.format(Locale.ROOT, "  <text transform=\"translate(16 %d) rotate(-90)\" "
                + "text-anchor=\"middle\">loss f (log scale)</text>%n", (TOP + HEIGHT - BOTTOM) / 2));
        out.append("</svg>\n");
        return out.toString();
    }

    /** From iterations and log10(loss) to the picture's coordinates. */
    private record Scale(int firstDecade, int lastDecade, int lastIteration) {
        double x(double iteration) {
            return LEFT + iteration / lastIteration * (WIDTH - LEFT - RIGHT);
        }

        double y(double log10) {
            return TOP + (lastDecade - log10) / (lastDecade - firstDecade) * (HEIGHT - TOP - BOTTOM);
        }
    }
}
