package org.relugrad.internal.io;

import java.io.Serializable;

/**
 * One file of a text input: its full Hadoop path, and the name errors show (as the user wrote it, or the folder
 * as written plus the file's name).
 */
public record TextFile(String path, String name, long bytes) implements Serializable {
}
