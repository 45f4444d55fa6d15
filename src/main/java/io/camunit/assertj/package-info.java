/**
 * AssertJ assertions on explanations: {@link io.camunit.assertj.CamAssertions#assertThat} and
 * {@link io.camunit.assertj.CamSoftAssertions}, with one error message factory per kind of
 * failure. They call the metrics of {@code io.camunit.metric}.
 */
package io.camunit.assertj;
