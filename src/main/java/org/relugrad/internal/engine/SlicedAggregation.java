package org.relugrad.internal.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.Partitioner;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.relugrad.internal.kernel.ExactSum;
import org.relugrad.internal.kernel.RowBlock;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The aggregation for wide layers, where a partial sum of ∂f/∂W (16 bytes an entry, exact) is too large to send
 * from every task to the driver. Per pass:
 *
 * <ol>
 *   <li>the tasks add their blocks to one exact sum per executor ({@link ExecutorSums}): nothing of size d·k leaves
 *       a task, and a task with no rows touches nothing;
 *   <li>with E executors holding sums, one task on each cuts its sum into E slices and sends slice s to the
 *       executor that reduces slice s (a reduce-scatter through Spark's shuffle): each executor sends about
 *       16·d·k·(E − 1)/E bytes and receives as much;
 *   <li>each slice is summed exactly and rounded once on its executor, and the driver receives ∂f/∂W once,
 *       rounded: 8·d·k bytes, whatever the partition count. With one executor step 2 is skipped: its task rounds
 *       the sum and sends the 8·d·k bytes itself; in local mode, where that executor is the driver's own JVM, the
 *       driver rounds it, with no job and nothing serialized.
 * </ol>
 *
 * <p>The sums are exact, so ∂f/∂W and f are the same bits as the one-job path's, for any partitioning. Each
 * executor's sum records which partitions it holds; where the sums do not hold every partition with rows exactly
 * once (an executor lost between the steps, a task retried after adding blocks), the pass runs again.
 */
final class SlicedAggregation {
    /** Each pass's id: an executor keeps the sums of a pass apart from those of an earlier one that failed. */
    private static final AtomicLong PASSES = new AtomicLong(System.currentTimeMillis() * 1000);
    private static final int ATTEMPTS = 3;

    private SlicedAggregation() {
    }

    /**
     * Runs {@code task} (made for {@code pass}) on every partition and returns the tasks' results, their sum
     * rounded in {@link TaskResult#rounded}.
     */
    static TaskResult sum(JavaRDD<RowBlock> blocks, java.util.function.LongFunction<PartitionTask> task, BlockPlan plan,
                          int d, int k) {
        for (int attempt = 1; ; attempt++) {
            long pass = PASSES.incrementAndGet();
            TaskResult total = Aggregation.runTasks(blocks, task.apply(pass));
            if (total.error != null || total.diskFull != null) {
                ExecutorSums.take(pass);
                return total;
            }
            Reduced reduced = reduce(JavaSparkContext.fromSparkContext(blocks.context()), total, pass, d, k);
            if (reduced.holdsOnce(plan)) {
                total.rounded = reduced;
                return total;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("the executors' sums of ∂f/∂W did not hold every partition once in "
                        + ATTEMPTS + " tries (executors lost during the passes?)");
            }
        }
    }

    /** Steps 2 and 3: the executors' sums, sliced, reduced and rounded. */
    private static Reduced reduce(JavaSparkContext sc, TaskResult total, long pass, int d, int k) {
        List<Tuple2<Slicer, scala.collection.immutable.Seq<String>>> holders = new ArrayList<>();
        int slices = Math.max(1, total.executors.size());
        for (Map.Entry<String, String> executor : total.executors.entrySet()) {
            String location = "executor_" + executor.getValue() + "_" + executor.getKey();
            holders.add(new Tuple2<>(new Slicer(pass, executor.getKey(), slices, d, k),
                    CollectionConverters.asScala(List.of(location)).toList()));
        }
        Reduced reduced = new Reduced(d, k);
        if (holders.isEmpty()) {
            return reduced;
        }
        JavaRDD<Slicer> slicers = JavaRDD.fromRDD(sc.sc().makeRDD(CollectionConverters.asScala(holders).toSeq(),
                scala.reflect.ClassTag$.MODULE$.apply(Slicer.class)), scala.reflect.ClassTag$.MODULE$.apply(Slicer.class));
        List<Piece> pieces;
        if (holders.size() == 1 && holders.get(0)._1().executor.equals(SparkEnv.get().executorId())) {
            // Local mode: the one sum is in this JVM; rounded here, with no job and no 8·d·k bytes serialized twice.
            pieces = new ArrayList<>();
            holders.get(0)._1().pieces(true).forEachRemaining(pieces::add);
        } else if (holders.size() == 1) {
            pieces = slicers.flatMap(s -> s.pieces(true)).collect();
        } else {
            JavaPairRDD<Integer, Piece> sent = slicers.flatMap(s -> s.pieces(false))
                    .mapToPair(p -> new Tuple2<>(p.slice, p));
            pieces = sent.reduceByKey(new SliceOwner(slices + 1), Piece::merge).values().map(Piece::round).collect();
        }
        for (Piece p : pieces) {
            reduced.add(p);
        }
        return reduced;
    }

    /** What the driver ends with: ∂f/∂W rounded, f's exact sum, and which partitions the sums held. */
    static final class Reduced {
        private final int size;
        /** ∂f/∂W, allocated when the first piece comes: one piece that is all of it is kept as it is. */
        private double[] dW;
        final ExactSum loss = new ExactSum(1);
        final BitSet partitions = new BitSet();
        boolean twice;
        boolean spoiled;

        Reduced(int d, int k) {
            this.size = d * k;
        }

        /** ∂f/∂W, rounded. */
        double[] dW() {
            return dW != null ? dW : new double[size];
        }

        void add(Piece p) {
            if (p.slice < 0) {
                twice |= p.partitions.intersects(partitions);
                partitions.or(p.partitions);
                spoiled |= p.spoiled;
                loss.merge(p.loss);
            } else if (p.from == 0 && p.rounded.length == size && dW == null) {
                dW = p.rounded;
            } else {
                if (dW == null) {
                    dW = new double[size];
                }
                System.arraycopy(p.rounded, 0, dW, p.from, p.rounded.length);
            }
        }

        /** Whether the sums held every partition with rows once, and no sum was spoiled. */
        boolean holdsOnce(BlockPlan plan) {
            if (twice || spoiled) {
                return false;
            }
            for (int p = 0; p < plan.partitions(); p++) {
                if (plan.rowsOf(p) > 0 != partitions.get(p)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Step 2 on one executor: takes its sum of the pass and cuts it into slices. */
    static final class Slicer implements Serializable {
        private static final long serialVersionUID = 1L;
        final long pass;
        final String executor;
        final int slices;
        final int d;
        final int k;

        Slicer(long pass, String executor, int slices, int d, int k) {
            this.pass = pass;
            this.executor = executor;
            this.slices = slices;
            this.d = d;
            this.k = k;
        }

        /** The slices of this executor's sum and, as slice −1, what it holds; rounded slices when {@code round}. */
        Iterator<Piece> pieces(boolean round) {
            ExecutorSums.Share share = executor.equals(SparkEnv.get().executorId()) ? ExecutorSums.take(pass) : null;
            List<Piece> out = new ArrayList<>();
            if (share == null) {
                // Not where the sum is (or it is gone with an executor): the driver sees a partition missing.
                return out.iterator();
            }
            Piece info = new Piece(-1, 0);
            info.partitions.or(share.done);
            info.spoiled = share.spoiled;
            info.loss = share.sum.lossSum().slice(0, 1); // a copy: the sum is used again
            out.add(info);
            int size = d * k;
            int per = (int) (((long) size + slices - 1) / slices);
            ExactSum dW = share.sum.dWSum();
            for (int s = 0; s < slices; s++) {
                int from = Math.min(size, s * per);
                int to = Math.min(size, from + per);
                Piece piece = new Piece(s, from);
                // One slice is the whole sum: no copy of it (16 bytes an entry) beside the sum.
                piece.sum = from == 0 && to == size ? dW : dW.slice(from, to);
                out.add(round ? piece.round() : piece);
            }
            // Once the task has written its pieces (and not before: the shuffle may hold them until then), the sum
            // is free for the next pass; rounded pieces are copies, free at once.
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((TaskCompletionListener) done -> ExecutorSums.recycle(share.sum));
            } else if (round) {
                ExecutorSums.recycle(share.sum);
            }
            return out.iterator();
        }
    }

    /** A slice of ∂f/∂W's exact sum at entry {@code from}, or its rounding; slice −1 is what a sum holds. */
    static final class Piece implements Serializable {
        private static final long serialVersionUID = 1L;
        final int slice;
        final int from;
        ExactSum sum;
        double[] rounded;
        final BitSet partitions = new BitSet();
        boolean spoiled;
        ExactSum loss;

        Piece(int slice, int from) {
            this.slice = slice;
            this.from = from;
        }

        Piece merge(Piece other) {
            if (slice < 0) {
                spoiled |= other.spoiled || other.partitions.intersects(partitions);
                partitions.or(other.partitions);
                loss.merge(other.loss);
            } else {
                sum.merge(other.sum);
            }
            return this;
        }

        /** The slice rounded, 8 bytes an entry, for the driver. */
        Piece round() {
            if (slice >= 0 && sum != null) {
                rounded = sum.rounded();
                sum = null;
            }
            return this;
        }
    }

    /** Sends slice s to reducer s, and what the sums hold (slice −1) to the last one. */
    static final class SliceOwner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        SliceOwner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            int slice = (Integer) key;
            return slice < 0 ? partitions - 1 : slice;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof SliceOwner o && o.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
