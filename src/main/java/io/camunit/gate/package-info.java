/**
 * Release gates over a data set, the one gate model of camunit: {@link io.camunit.gate.Gate}
 * (sample-share, Wilson-bound and statistic gates, parsed from text such as
 * {@code peak-inside >= 1 for 80%} or built from Java), judged by {@link io.camunit.gate.SampleTally}
 * and {@link io.camunit.gate.Verdict} in memory that does not grow with the data set but for one
 * value per sample; and baselines of accepted models ({@link io.camunit.gate.Baseline}) with the
 * paired no-regression comparison ({@link io.camunit.gate.Regression}). The command line, the AssertJ
 * assertions and the evidence all judge here. Plain Java; nothing of JUnit, AssertJ or Allure.
 */
package io.camunit.gate;
