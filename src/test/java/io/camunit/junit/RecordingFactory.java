package io.camunit.junit;

import io.camunit.ForwardingModel;
import io.camunit.ShapesBlock;
import io.camunit.model.CamModel;

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
    static final class Recording extends ForwardingModel {

        Recording(CamModel inner) {
            super(inner);
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
            inner.close();
        }
    }
}
