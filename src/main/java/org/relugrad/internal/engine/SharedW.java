package org.relugrad.internal.engine;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.relugrad.Matrix;

/**
 * W as a pass's tasks get it. On a cluster, Spark's broadcast: serialized once, compressed, and fetched once per
 * executor. In local mode the tasks run in the driver's JVM, so they get the driver's own matrix by reference,
 * through a registry keyed by the pass: a broadcast would serialize and compress all 8·d·k bytes of W each pass
 * (512 MiB at d = 4096, k = 16384) only to hand the tasks the object the driver already holds.
 */
abstract class SharedW implements Serializable {
    private static final long serialVersionUID = 1L;

    /** W for a pass on {@code sc}: by reference in local mode, else broadcast. */
    static SharedW of(JavaSparkContext sc, Matrix w) {
        return sc.isLocal() ? new InThisJvm(w) : new Broadcasted(sc.broadcast(w));
    }

    /** W, in a task. */
    abstract Matrix value();

    /** Frees W's copies once the pass is over; blocking. */
    abstract void destroy();

    private static final class Broadcasted extends SharedW {
        private static final long serialVersionUID = 1L;
        private final Broadcast<Matrix> broadcast;

        Broadcasted(Broadcast<Matrix> broadcast) {
            this.broadcast = broadcast;
        }

        @Override
        Matrix value() {
            return broadcast.value();
        }

        @Override
        void destroy() {
            // Blocking (Spark's destroy() is not): a removal still under way when the context stops makes Spark's
            // storage endpoint print a stack trace on stderr. Scala's private[spark] is public to Java.
            broadcast.destroy(true);
        }
    }

    private static final class InThisJvm extends SharedW {
        private static final long serialVersionUID = 1L;
        private static final AtomicLong IDS = new AtomicLong();
        private static final Map<Long, Matrix> VALUES = new ConcurrentHashMap<>();
        private final long id;

        InThisJvm(Matrix w) {
            this.id = IDS.incrementAndGet();
            VALUES.put(id, w);
        }

        @Override
        Matrix value() {
            Matrix w = VALUES.get(id);
            if (w == null) {
                throw new IllegalStateException("W of pass " + id + " is not in this JVM (a local-mode pass's task "
                        + "ran elsewhere, or after its pass)");
            }
            return w;
        }

        @Override
        void destroy() {
            VALUES.remove(id);
        }
    }
}
