/**
 * Files and pictures of explanations: {@link io.camunit.report.Npy} maps for NumPy,
 * {@link io.camunit.report.Overlay} pictures with a {@link io.camunit.report.Colormap},
 * {@link io.camunit.report.EvidencePicture}, {@link io.camunit.report.SidePanel} and
 * {@link io.camunit.report.ContactSheet}.
 *
 * <p>Evidence of failed checks: {@link io.camunit.report.Evidence} (one sample, a data-set gate, or
 * what a test explained) becomes {@link io.camunit.report.Attachment}s through
 * {@link io.camunit.report.EvidenceAttachments}, kept by an {@link io.camunit.report.EvidenceSink}:
 * Allure's test case when Allure runs the test, else a {@link io.camunit.report.DirectorySink}
 * ({@link io.camunit.report.EvidenceSinks} chooses). Only the package-private {@code AllureSink}
 * refers to Allure, which is optional.
 */
package io.camunit.report;
