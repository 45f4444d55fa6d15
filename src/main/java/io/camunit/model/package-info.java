/**
 * Models that can be run whole and cut at a layer: {@link io.camunit.model.CamModel}, with
 * {@link io.camunit.model.TorchScriptModel} (CAM-ready or plain TorchScript) and
 * {@link io.camunit.model.BlockModel} (DJL blocks); images as {@link io.camunit.model.InputImage}
 * prepared by an {@link io.camunit.model.InputSpec}.
 */
package io.camunit.model;
