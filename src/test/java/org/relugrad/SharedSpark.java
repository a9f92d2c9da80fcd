package org.relugrad;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One local[2] SparkContext for all the tests of a class (starting one takes seconds). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SharedSpark {
    protected JavaSparkContext sc;

    /** The master URL; local[2] unless a test class needs, say, task retries (local[N,maxFailures]). */
    protected String master() {
        return "local[2]";
    }

    @BeforeAll
    void startSpark() {
        SparkConf conf = new SparkConf()
                .setMaster(master())
                .setAppName(getClass().getSimpleName())
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        sc = new JavaSparkContext(conf);
    }

    @AfterAll
    void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }
}
