package org.relugrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in README.md and in the pages under src/site/markdown leads somewhere: to a file or folder
 * that exists and, for a {@code #anchor}, to a heading of that page (GitHub's heading anchors).
 */
class DocsLinksTest {
    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```[^\\n]*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\[\\]]*]\\(([^()\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *#*$");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern INDEX_LINK = Pattern.compile("\\]\\(([^()#\\s]+\\.md)");

    @TempDir
    Path tmp;

    private static Path projectDir() {
        return Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath().normalize();
    }

    private static Path pagesDir() {
        return projectDir().resolve("src/site/markdown");
    }

    private static List<Path> docs() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(projectDir().resolve("README.md"));
        try (Stream<Path> pages = Files.list(pagesDir())) {
            pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void everyLinkInTheReadmeAndThePagesResolves() throws IOException {
        List<Path> files = docs();
        assertTrue(files.contains(pagesDir().resolve("index.md")), "src/site/markdown has no index.md");
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path file : files) {
            links += links(Files.readString(file)).size();
            broken.addAll(brokenLinks(file));
        }
        assertTrue(links > 50, "only " + links + " links found: is the link pattern still right?");
        assertEquals(List.of(), broken, "links that lead nowhere");
    }

    @Test
    void theIndexLinksEveryPage() throws IOException {
        String index = Files.readString(pagesDir().resolve("index.md"));
        Set<String> linked = new LinkedHashSet<>();
        Matcher m = INDEX_LINK.matcher(index);
        while (m.find()) {
            linked.add(m.group(1));
        }
        List<String> missing = new ArrayList<>();
        for (Path page : docs()) {
            String name = page.getFileName().toString();
            if (page.getParent().equals(pagesDir()) && !name.equals("index.md") && !linked.contains(name)) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "pages that index.md does not link");
    }

    /** The check itself: it reports a missing file and missing headings, and passes over code, fences and web links. */
    @Test
    void brokenLinksAreFound() throws IOException {
        Files.writeString(tmp.resolve("other.md"), "# Other page\n\n## Training W: `relugrad fit`\n\n## Same\n\n## Same\n");
        Path page = tmp.resolve("page.md");
        Files.writeString(page, String.join("\n",
                "# A page",
                "[fine](other.md) [fine](other.md#training-w-relugrad-fit) [fine](other.md#same-1) [fine](#a-page)",
                "[no file](missing.md) [no anchor](other.md#nowhere) [no anchor here](#nowhere) [third same](other.md#same-2)",
                "`[in code](missing-in-code.md)` [outside](https://example.org/x.md)",
                "```",
                "[in a fence](missing-in-fence.md)",
                "# not a heading",
                "```",
                "[not a heading either](#not-a-heading)",
                ""));
        assertEquals(List.of(
                "page.md: missing.md (no such file)",
                "page.md: other.md#nowhere (no such heading)",
                "page.md: #nowhere (no such heading)",
                "page.md: other.md#same-2 (no such heading)",
                "page.md: #not-a-heading (no such heading)"), brokenLinks(page));
    }

    /** The relative links of {@code file} that lead nowhere, as "file: target (why)". */
    static List<String> brokenLinks(Path file) {
        String name = projectDir().equals(file.getParent()) || !file.startsWith(projectDir())
                ? file.getFileName().toString() : projectDir().relativize(file).toString();
        List<String> broken = new ArrayList<>();
        for (String target : links(read(file))) {
            if (SCHEME.matcher(target).find()) {
                continue;
            }
            int hash = target.indexOf('#');
            String path = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? "" : target.substring(hash + 1);
            Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
            if (!Files.exists(resolved)) {
                broken.add(name + ": " + target + " (no such file)");
            } else if (!anchor.isEmpty() && !anchors(read(resolved)).contains(anchor)) {
                broken.add(name + ": " + target + " (no such heading)");
            }
        }
        return broken;
    }

    /** The link targets of a Markdown text, outside fenced blocks and code spans. */
    static List<String> links(String markdown) {
        String prose = CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
        List<String> targets = new ArrayList<>();
        Matcher m = LINK.matcher(prose);
        while (m.find()) {
            targets.add(m.group(1));
        }
        return targets;
    }

    /** The anchors GitHub gives the headings of a Markdown text (outside fenced blocks). */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher m = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
        while (m.find()) {
            String slug = slug(m.group(1));
            int count = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(count == 0 ? slug : slug + "-" + count);
        }
        return anchors;
    }

    /** GitHub's anchor for a heading: lower case, punctuation and symbols dropped, each space a hyphen. */
    static String slug(String heading) {
        StringBuilder slug = new StringBuilder();
        heading.toLowerCase(java.util.Locale.ROOT).codePoints().forEach(c -> {
            if (c == ' ') {
                slug.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_'
                    || Character.getType(c) == Character.NON_SPACING_MARK) {
                slug.appendCodePoint(c);
            }
        });
        return slug.toString();
    }

    private static String read(Path file) {
        try {
            return Files.isDirectory(file) ? "" : Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
