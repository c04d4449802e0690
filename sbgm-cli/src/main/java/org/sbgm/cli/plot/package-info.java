/**
 * Figures drawn with Java2D and XChart: the demo's four panels ({@link org.sbgm.cli.plot.DemoFigure}),
 * the loss curve ({@link org.sbgm.cli.plot.LossPlot}), image grids and trajectory strips
 * ({@link org.sbgm.cli.plot.ImageGrid}) and scatter plots ({@link org.sbgm.cli.plot.ScatterPlot}),
 * all written atomically as PNG files ({@link org.sbgm.cli.plot.Png}).
 */
package org.sbgm.cli.plot;
