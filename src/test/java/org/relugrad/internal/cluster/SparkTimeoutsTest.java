package org.relugrad.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEndpoint;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.RpcTimeout;
import org.apache.spark.util.ThreadUtils;
import org.junit.jupiter.api.Test;
import scala.PartialFunction;
import scala.concurrent.Promise;
import scala.concurrent.duration.FiniteDuration;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * Spark's timeouts in one line that says what timed out, the setting, and what to do: each made by Spark itself
 * (an ask no endpoint answers, Spark's own timed waits), so the messages read are Spark's, not copies.
 */
class SparkTimeoutsTest {
    private static final String WHAT_TO_DO = "nothing was kept: run again, with more time (--conf "
            + "spark.network.timeout=600s, which the other timeouts follow unless set) where the cluster is busy or "
            + "the layer wide, and more memory where a JVM was stalled collecting garbage (--driver-memory, "
            + "--executor-memory)";

    /** An endpoint that takes every ask and never answers. */
    private static final class Silent implements RpcEndpoint {
        private final RpcEnv env;

        Silent(RpcEnv env) {
            this.env = env;
        }

        @Override
        public RpcEnv rpcEnv() {
            return env;
        }

        @Override
        public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
            return new AbstractPartialFunction<>() {
                @Override
                public boolean isDefinedAt(Object message) {
                    return true;
                }

                @Override
                public BoxedUnit apply(Object message) {
                    return BoxedUnit.UNIT;
                }
            };
        }
    }

    private static SecurityManager security(SparkConf conf) {
        return new SecurityManager(conf, SecurityManager.$lessinit$greater$default$2(),
                SecurityManager.$lessinit$greater$default$3());
    }

    @Test
    void anAskNobodyAnswersNamesTheAddressTheWaitAndTheSetting() {
        SparkConf conf = new SparkConf(false).set("spark.rpc.lookupTimeout", "30s");
        RpcEnv server = RpcEnv.create("silent", "127.0.0.1", 0, conf, security(conf), false);
        RpcEnv client = RpcEnv.create("asking", "127.0.0.1", 0, conf, security(conf), true);
        try {
            server.setupEndpoint("silent", new Silent(server));
            RpcEndpointRef ref = client.setupEndpointRef(server.address(), "silent");
            RpcTimeout timeout = new RpcTimeout(FiniteDuration.apply(300, TimeUnit.MILLISECONDS), "spark.rpc.askTimeout");
            // The ask's own timeout, waited for longer than it lasts: askSync would race it against its wait, which
            // says "Future timed out" when it ends first.
            RpcTimeout longer = new RpcTimeout(FiniteDuration.apply(60, TimeUnit.SECONDS), "the test's wait");
            Exception thrown = assertThrows(Exception.class, () -> longer.awaitResult(
                    ref.ask("anyone?", timeout, ClassTag$.MODULE$.apply(String.class))));
            RunFailure failure = RunFailure.explain(new SparkException("Exception thrown in awaitResult: ", thrown));
            assertEquals("no answer from 127.0.0.1:" + server.address().port() + " within 300 milliseconds "
                    + "(spark.rpc.askTimeout): the JVM there may be overloaded, stalled, or cut off; " + WHAT_TO_DO,
                    failure.getMessage());
        } finally {
            client.shutdown();
            server.shutdown();
        }
    }

    @Test
    void sparksOwnTimedWaitSaysHowLongAndWhichSetting() {
        Promise<String> never = Promise.apply();
        Exception bare = assertThrows(Exception.class,
                () -> ThreadUtils.awaitResult(never.future(), FiniteDuration.apply(100, TimeUnit.MILLISECONDS)));
        assertTrue(bare.getMessage().startsWith("Future"), "Scala's own words: " + bare.getMessage());
        assertEquals("Spark waited 100 milliseconds for another JVM of the run (spark.network.timeout) and gave up: "
                + "the driver or an executor may be overloaded, stalled, or cut off; " + WHAT_TO_DO,
                RunFailure.explain(bare).getMessage());

        RpcTimeout named = new RpcTimeout(FiniteDuration.apply(100, TimeUnit.MILLISECONDS), "spark.rpc.lookupTimeout");
        Exception rpc = assertThrows(Exception.class, () -> named.awaitResult(never.future()));
        assertEquals("Spark waited 100 milliseconds for another JVM of the run (spark.rpc.lookupTimeout) and gave up: "
                + "the driver or an executor may be overloaded, stalled, or cut off; " + WHAT_TO_DO,
                RunFailure.explain(rpc).getMessage());
    }

    @Test
    void aConnectionNotMadeInTimeNamesTheAddress() {
        // Spark 4.2's TransportClientFactory: "Connecting to %s timed out (%s ms)", inside a task's failure.
        SparkException aborted = new SparkException("Job aborted due to stage failure: Task 0 in stage 1.0 failed 4 "
                + "times, most recent failure: Lost task 0.3 in stage 1.0 (TID 9) (10.0.0.3 executor 1): "
                + "java.io.IOException: Connecting to /10.0.0.4:37001 timed out (120000 ms)");
        assertEquals("no connection to /10.0.0.4:37001 within 120 seconds (spark.network.timeout): the JVM there may "
                + "be overloaded or stalled, or a firewall drops the connection; " + WHAT_TO_DO,
                RunFailure.explain(aborted).getMessage());
    }
}
