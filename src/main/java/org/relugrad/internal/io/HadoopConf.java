package org.relugrad.internal.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop configuration that travels to tasks, so they can open the same file systems the driver did.
 *
 * <p>Every task of a pass brings it again, even over cached blocks: Spark ships an RDD's whole lineage, and the
 * blocks' reader holds one. Read into a new Configuration each time, it was most of a task's start: over cached
 * .npy blocks (n = 2·10⁷, d = k = 4, {@code --repeat 5}) each task took 25 to 28 ms of CPU to deserialize, against
 * 4 to 5 now. A JVM keeps the last few it read, by their bytes, and a task whose bytes match takes that one; the
 * tasks only read it (they open file systems with it).
 */
public final class HadoopConf implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Configurations read in this JVM, by their serialized bytes; the few most recent. */
    private static final Map<Key, Configuration> READ = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Configuration> eldest) {
            return size() > 4;
        }
    };

    private transient Configuration conf;

    public HadoopConf(Configuration conf) {
        this.conf = conf;
    }

    public Configuration get() {
        return conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            conf.write(data);
        }
        out.writeInt(bytes.size());
        bytes.writeTo(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        Key key = new Key(bytes);
        synchronized (READ) {
            conf = READ.get(key);
        }
        if (conf == null) {
            Configuration read = new Configuration(false);
            read.readFields(new DataInputStream(new ByteArrayInputStream(bytes)));
            synchronized (READ) {
                READ.put(key, read);
            }
            conf = read;
        }
    }

    /** Serialized bytes, compared by content. */
    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
