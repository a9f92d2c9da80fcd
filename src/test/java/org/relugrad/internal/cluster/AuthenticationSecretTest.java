package org.relugrad.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticationSecretTest {
    @TempDir
    Path dir;

    private static SparkConf authenticating(Path file) {
        return new SparkConf(false).set("spark.authenticate", "true")
                .set("spark.authenticate.secret.file", file.toString());
    }

    @Test
    void theSecretIsTheFilesTextWithoutItsLineEnd() throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "a1b2 c3\n");
        SparkConf conf = authenticating(file);
        AuthenticationSecret.fill(conf);
        assertEquals("a1b2 c3", conf.get("spark.authenticate.secret"));
    }

    @Test
    void theDriversOwnFileComesFirstAndAGivenSecretStays() throws Exception {
        Path driver = Files.writeString(dir.resolve("driver"), "d");
        SparkConf conf = authenticating(Files.writeString(dir.resolve("secret"), "s"))
                .set("spark.authenticate.secret.driver.file", driver.toString());
        AuthenticationSecret.fill(conf);
        assertEquals("d", conf.get("spark.authenticate.secret"));

        SparkConf given = authenticating(driver).set("spark.authenticate.secret", "given");
        AuthenticationSecret.fill(given);
        assertEquals("given", given.get("spark.authenticate.secret"));
    }

    @Test
    void withoutAuthenticationNothingIsRead() {
        SparkConf conf = authenticating(dir.resolve("missing")).set("spark.authenticate", "false");
        AuthenticationSecret.fill(conf);
        assertFalse(conf.contains("spark.authenticate.secret"));
    }

    @Test
    void aMissingOrEmptyFileIsNamed() throws Exception {
        Path missing = dir.resolve("missing");
        assertEquals("the secret file " + missing + " does not exist", assertThrows(IllegalArgumentException.class,
                () -> AuthenticationSecret.fill(authenticating(missing))).getMessage());
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertEquals("the secret file " + empty + " is empty", assertThrows(IllegalArgumentException.class,
                () -> AuthenticationSecret.fill(authenticating(empty))).getMessage());
    }
}
