package dev.tunnelcast.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One PNG chart for a benchmark report, on XChart. Every benchmark draws through this so the
 * report looks like one document:
 *
 * <pre>{@code
 * Plot.lines("Fan-out: p99 latency", "players", "p99 ms").logX()
 *     .series("tunnelcast", players, p99, p99Spread)
 *     .series("node ws", players, nodeP99)
 *     .save(dir.resolve("fanout-p99.png"));
 * }</pre>
 *
 * Lines join points in x order; {@link #scatter} draws markers only, and {@link #label} puts a
 * small text next to one point (a preset name, say). A series may go on a second y axis at the
 * right ({@link #seriesRight}) for time plots that mix units (bitrate and latency).
 */
public final class Plot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private final XYChart chart;
    private final List<AnnotationText> labels = new ArrayList<>();

    private Plot(String title, String xLabel, String yLabel, XYSeriesRenderStyle style) {
        System.setProperty("java.awt.headless", "true");
        chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setMarkerSize(7);
        styler.setAntiAlias(true);
        chart.getStyler().setDefaultSeriesRenderStyle(style);
    }

    /** Points joined by lines, for a figure that varies with x (players, bitrate, time). */
    public static Plot lines(String title, String xLabel, String yLabel) {
        return new Plot(title, xLabel, yLabel, XYSeriesRenderStyle.Line);
    }

    /** Markers only, for trade-offs where each point is one configuration. */
    public static Plot scatter(String title, String xLabel, String yLabel) {
        return new Plot(title, xLabel, yLabel, XYSeriesRenderStyle.Scatter);
    }

    public Plot logX() {
        chart.getStyler().setXAxisLogarithmic(true);
        return this;
    }

    public Plot logY() {
        chart.getStyler().setYAxisLogarithmic(true);
        return this;
    }

    /** Starts the y axis at zero, so small differences do not look large. */
    public Plot yFromZero() {
        chart.getStyler().setYAxisMin(0.0);
        return this;
    }

    public Plot series(String name, double[] x, double[] y) {
        return series(name, x, y, null);
    }

    /** A series with error bars of ±{@code spread[i]} (e.g. half the range over repeated runs). */
    public Plot series(String name, double[] x, double[] y, double[] spread) {
        check(name, x, y, spread);
        XYSeries s = chart.addSeries(name, x, y, spread);
        s.setMarker(SeriesMarkers.CIRCLE);
        return this;
    }

    /** A series drawn dashed against a second y axis on the right, titled {@code yLabel}. */
    public Plot seriesRight(String name, String yLabel, double[] x, double[] y) {
        check(name, x, y, null);
        XYSeries s = chart.addSeries(name, x, y);
        s.setYAxisGroup(1);
        s.setLineStyle(SeriesLines.DASH_DASH);
        s.setMarker(SeriesMarkers.NONE);
        chart.setYAxisGroupTitle(1, yLabel);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        return this;
    }

    /** A short text just above the point (x, y), in data coordinates. */
    public Plot label(String text, double x, double y) {
        labels.add(new AnnotationText(text, x, y, false));
        return this;
    }

    /** Writes the PNG (creating its folder) and returns its path. */
    public Path save(Path png) throws IOException {
        if (chart.getSeriesMap().isEmpty()) {
            throw new IllegalStateException("plot '" + chart.getTitle() + "' has no series");
        }
        labels.forEach(chart::addAnnotation);
        Path dir = png.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return png;
    }

    private static void check(String name, double[] x, double[] y, double[] spread) {
        if (x.length != y.length || (spread != null && spread.length != x.length)) {
            throw new IllegalArgumentException("series '" + name + "': x, y and spread differ in length");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("series '" + name + "' is empty");
        }
    }
}
