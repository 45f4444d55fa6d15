/**
 * The JUnit 5 extension: {@link io.camunit.junit.CamTest} on a test class injects models
 * ({@link io.camunit.junit.UseModel}), explainers ({@link io.camunit.junit.UseExplainer}) and data
 * sets ({@link io.camunit.junit.UseDataset}), and {@link io.camunit.junit.LabeledSamples} feeds a
 * {@code @ParameterizedTest} one labelled sample per invocation. Models and data sets are loaded
 * once per test run and closed when it ends. After each test, evidence of failed camunit
 * assertions is attached to it, by {@link io.camunit.junit.EvidencePolicy}.
 *
 * <p>{@link io.camunit.junit.CamExtension} is thin: it only adapts JUnit's callbacks; loading,
 * sharing, configuration and evidence live in plain classes of this package.
 */
package io.camunit.junit;
