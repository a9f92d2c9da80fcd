package org.relugrad.internal.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;

/**
 * The secret of Spark's authentication (spark.authenticate), for a driver whose secret is in a file. Outside
 * Kubernetes, Spark's driver takes its secret only from spark.authenticate.secret, and a secret there would show
 * on command lines: the launcher passes the file's name instead (spark.authenticate.secret.file, or .driver.file),
 * and the driver reads it here, into its own configuration. A driver that a worker launched (cluster deploy mode)
 * without a file takes the secret its worker hands on in the environment.
 */
final class AuthenticationSecret {
    static final String SECRET = "spark.authenticate.secret";
    /** Where Spark's standalone daemons put the secret for the JVMs they launch. */
    private static final String ENVIRONMENT = "_SPARK_AUTH_SECRET";

    private AuthenticationSecret() {
    }

    /** Sets spark.authenticate.secret from the secret file or the environment when authentication is on. */
    static void fill(SparkConf conf) {
        if (!conf.getBoolean("spark.authenticate", false) || conf.contains(SECRET)) {
            return;
        }
        String file = conf.get("spark.authenticate.secret.driver.file",
                conf.get("spark.authenticate.secret.file", ""));
        String secret = file.isEmpty() ? System.getenv(ENVIRONMENT) : read(Path.of(file));
        if (secret != null) {
            conf.set(SECRET, secret);
        }
    }

    /** The file's text without the line ends an editor may add, as the shell's $(cat FILE) reads it. */
    private static String read(Path file) {
        String secret;
        try {
            secret = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\n+$", "");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("the secret file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file " + file + ": " + e.getMessage(), e);
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the secret file " + file + " is empty");
        }
        return secret;
    }
}
