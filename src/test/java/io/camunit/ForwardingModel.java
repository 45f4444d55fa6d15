package io.camunit;

import io.camunit.model.CamModel;
import io.camunit.model.InputSpec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.List;

/**
 * A model for tests that hands every call to another model, so a test overrides only the calls it
 * counts or records.
 *
 * <pre>{@code
 * CamModel counting = new ForwardingModel(model) {
 *     public NDArray head(NDList acts, String layer) { heads++; return super.head(acts, layer); }
 * };
 * }</pre>
 */
public abstract class ForwardingModel implements CamModel {

    protected final CamModel inner;

    protected ForwardingModel(CamModel inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public InputSpec input() {
        return inner.input();
    }

    @Override
    public List<String> classes() {
        return inner.classes();
    }

    @Override
    public List<String> layers() {
        return inner.layers();
    }

    @Override
    public NDManager newScope() {
        return inner.newScope();
    }

    @Override
    public NDArray forward(NDArray batch) {
        return inner.forward(batch);
    }

    @Override
    public NDList features(NDArray batch, String layer) {
        return inner.features(batch, layer);
    }

    @Override
    public NDArray head(NDList acts, String layer) {
        return inner.head(acts, layer);
    }

    @Override
    public float[][] classifierWeights() {
        return inner.classifierWeights();
    }

    @Override
    public void close() {
        inner.close();
    }
}
