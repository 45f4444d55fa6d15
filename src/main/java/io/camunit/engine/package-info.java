/**
 * The engine under camunit's models: {@link io.camunit.engine.EngineCheck} verifies once per JVM
 * that the native PyTorch computes convolutions and their gradients correctly on this processor and
 * selects {@link io.camunit.engine.ConvolutionKernels} that do; {@link io.camunit.engine.GradientLock}
 * serialises gradient work; {@link io.camunit.engine.EngineThreads} sets the engine's thread counts.
 */
package io.camunit.engine;
