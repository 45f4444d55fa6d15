package io.camunit.junit;

import io.camunit.ShapesBlock;
import io.camunit.model.CamModel;
import io.camunit.model.InputSpec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A CamModelFactory for tests: the DJL shapes block, counting how often it is created and closed. */
public class RecordingFactory implements CamModelFactory {

    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();

    @Override
    public CamModel create(ModelSpec spec) {
        CREATED.incrementAndGet();
        return new Recording(ShapesBlock.load());
    }

    /** Delegates everything; records close(). */
    static final class Recording implements CamModel {
        private final CamModel inner;

        Recording(CamModel inner) {
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
            CLOSED.incrementAndGet();
            inner.close();
        }
    }
}
