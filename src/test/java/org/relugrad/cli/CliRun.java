package org.relugrad.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.relugrad.internal.cluster.SparkRuntime;

/** One in-process run of the command line on a borrowed SparkContext: exit code, stdout, stderr. */
record CliRun(int exit, String out, String err) {

    static CliRun of(JavaSparkContext sc, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), () -> SparkRuntime.borrow(sc));
        return new CliRun(exit, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
