/**
 * The heatmap pipeline on plain Java arrays: {@link io.camunit.heatmap.Heatmap} (immutable map with
 * ReLU, min-max normalisation and fusion) and {@link io.camunit.heatmap.Bilinear} (resizing with
 * half-pixel centres). Nothing here knows about models, JUnit, AssertJ or Allure.
 */
package io.camunit.heatmap;
