/**
 * Files and pictures of explanations: {@link io.camunit.report.Npy} maps for NumPy,
 * {@link io.camunit.report.Overlay} pictures with a {@link io.camunit.report.Colormap}.
 */
package io.camunit.report;
