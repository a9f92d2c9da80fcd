package org.relugrad.internal.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop configuration that travels to tasks, so they can open the same file systems the driver did. It holds a
 * copy, made with it, so later changes to the original do not travel; its entries are serialized when it is first
 * sent, and those are what every task gets. {@link #get()} is for reading: on an executor, every task that got the
 * same entries shares one Configuration.
 *
 * <p>Every task of a pass brings it again, even over cached blocks: Spark ships an RDD's whole lineage with every
 * job, and the blocks' reader holds one. Hadoop's own serialization gzips each entry on its own, a few milliseconds
 * per configuration warm and tens cold, on the driver, for every job; and reading it back into a new Configuration
 * took each task 25 to 28 ms of CPU (n = 2·10⁷, d = k = 4, {@code --repeat 5} over cached .npy blocks). So the
 * entries are serialized once, with a digest of their bytes; a JVM keeps the last few configurations it read, by
 * digest, and a task whose digest matches takes that one without reading the entries again. The tasks only read it
 * (they open file systems with it).
 */
public final class HadoopConf implements Serializable {
    private static final long serialVersionUID = 2L;
    /** Configurations read in this JVM, by the digest of their serialized entries; the few most recent. */
    private static final Map<Digest, Configuration> READ = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, Configuration> eldest) {
            return size() > 8;
        }
    };

    private transient Configuration conf;
    /** The serialized entries and their digest, made on the first send (or kept from the read). */
    private transient byte[] bytes;
    private transient Digest digest;

    public HadoopConf(Configuration conf) {
        this.conf = new Configuration(conf);
    }

    public Configuration get() {
        return conf;
    }

    private synchronized void serialize() {
        if (bytes != null) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(out)) {
            conf.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes = out.toByteArray();
        digest = Digest.of(bytes);
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        serialize();
        out.writeLong(digest.high);
        out.writeLong(digest.low);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        Digest sent = new Digest(in.readLong(), in.readLong());
        int length = in.readInt();
        if (length < 0) {
            throw new InvalidObjectException("a Hadoop configuration of " + length + " bytes");
        }
        byte[] read = new byte[length];
        in.readFully(read);
        Configuration known;
        synchronized (READ) {
            known = READ.get(sent);
        }
        if (known == null) {
            known = new Configuration(false);
            known.readFields(new DataInputStream(new ByteArrayInputStream(read)));
            synchronized (READ) {
                READ.put(sent, known);
            }
        }
        conf = known;
        bytes = read;
        digest = sent;
    }

    /** The first 128 bits of the SHA-256 of a configuration's serialized entries. */
    private record Digest(long high, long low) {
        static Digest of(byte[] bytes) {
            try {
                ByteBuffer sha = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes));
                return new Digest(sha.getLong(), sha.getLong());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        }
    }
}
