/**
 * camunit: unit tests for where a vision model looks.
 *
 * <p>Packages: {@code model} (models that can be cut at a layer), {@code explain} (CAM methods
 * producing {@code Explanation}s), {@code heatmap} (the map pipeline on plain arrays),
 * {@code report} (files and pictures of explanations), {@code cli} (the command line).
 */
package io.camunit;
