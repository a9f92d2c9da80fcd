package org.relugrad.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** A Hadoop configuration through Java serialization, as a task gets it: the same entries, read once per JVM. */
class HadoopConfTest {
    private static HadoopConf roundTrip(HadoopConf conf) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(conf);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (HadoopConf) in.readObject();
        }
    }

    @Test
    void aTaskGetsTheDriversEntriesAndTheSameBytesGiveTheSameConfiguration() throws Exception {
        Configuration driver = new Configuration(false);
        driver.set("fs.s3a.endpoint", "http://example.invalid:9000");
        driver.setInt("io.file.buffer.size", 65536);
        HadoopConf first = roundTrip(new HadoopConf(driver));
        assertEquals("http://example.invalid:9000", first.get().get("fs.s3a.endpoint"));
        assertEquals(65536, first.get().getInt("io.file.buffer.size", 0));
        assertNull(first.get().get("not.set"));
        assertSame(first.get(), roundTrip(new HadoopConf(driver)).get(), "the same entries, read once");

        // One entry changed on the driver: a configuration of its own, with the new value.
        driver.set("fs.s3a.endpoint", "http://other.invalid:9000");
        HadoopConf changed = roundTrip(new HadoopConf(driver));
        assertNotSame(first.get(), changed.get());
        assertEquals("http://other.invalid:9000", changed.get().get("fs.s3a.endpoint"));
        assertEquals("http://example.invalid:9000", first.get().get("fs.s3a.endpoint"));
    }

    @Test
    void theEntriesTravelAsTheyWereWhenMadeAndTravelOnFromATask() throws Exception {
        Configuration driver = new Configuration(false);
        driver.set("fs.defaultFS", "hdfs://namenode.invalid:8020");
        HadoopConf made = new HadoopConf(driver);
        driver.set("fs.defaultFS", "file:///");
        driver.set("added.later", "yes");

        HadoopConf onATask = roundTrip(made);
        assertEquals("hdfs://namenode.invalid:8020", onATask.get().get("fs.defaultFS"));
        assertNull(onATask.get().get("added.later"));
        // Sent twice, and sent on again from where it was read: the same entries each time.
        assertEquals("hdfs://namenode.invalid:8020", roundTrip(made).get().get("fs.defaultFS"));
        HadoopConf onward = roundTrip(onATask);
        assertEquals("hdfs://namenode.invalid:8020", onward.get().get("fs.defaultFS"));
        assertEquals(1, onward.get().size());
    }
}
