package io.kfdfs.protocol;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/protocol.md against the code. Convention: the command table of §2.1 has one row per constant of
 * {@link Cmd}, {@code | <code> | `<NAME>` | … | §<section> |}; the section it names exists as a heading
 * ({@code ### 4.13 …}) and names the command by its constant name somewhere in its text (subsections
 * included). Every {@code §n.n}, appendix and appendix item (such as C.5) that a .java file under a
 * {@code src/} tree or a docs/*.md file cites exists in docs/protocol.md; a {@code §} after "RFC" on the
 * same line cites the RFC, not this document.
 */
class ProtocolDocTest {

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(\\d+(?:\\.\\d+)*)[.\\s]");
    private static final Pattern APPENDIX_HEADING = Pattern.compile("^(#{1,6})\\s+Appendix ([A-Z])\\.");
    private static final Pattern TABLE_ROW =
            Pattern.compile("^\\|\\s*(\\d+)\\s*\\|\\s*`?(\\w+)`?\\s*\\|.*\\|\\s*§(\\d+(?:\\.\\d+)*)[^|]*\\|\\s*$");
    private static final Pattern CITED_SECTION = Pattern.compile("§(\\d+(?:\\.\\d+)*)");
    private static final Pattern CITED_APPENDIX = Pattern.compile("Appendix ([A-Z])(?:\\.(\\d+))?");

    private static Path repo;
    private static List<String> doc;
    /** Section number to its text: the heading line up to the next heading of the same or a higher level. */
    private static final Map<String, String> SECTIONS = new LinkedHashMap<>();
    private static final Map<String, String> APPENDICES = new LinkedHashMap<>();

    @BeforeAll
    static void readDoc() throws IOException {
        // surefire runs in the module directory, client/protocol
        repo = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
        Path file = repo.resolve("docs/protocol.md");
        assertTrue(Files.isRegularFile(file), "no " + file + " (run from the client/protocol module directory)");
        doc = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < doc.size(); i++) {
            Matcher m = HEADING.matcher(doc.get(i));
            if (m.find()) {
                SECTIONS.putIfAbsent(m.group(2), body(i, m.group(1).length()));
            }
            Matcher a = APPENDIX_HEADING.matcher(doc.get(i));
            if (a.find()) {
                APPENDICES.putIfAbsent(a.group(2), body(i, a.group(1).length()));
            }
        }
    }

    private static String body(int headingLine, int level) {
        StringBuilder text = new StringBuilder(doc.get(headingLine)).append('\n');
        for (int j = headingLine + 1; j < doc.size(); j++) {
            String line = doc.get(j);
            int hashes = 0;
            while (hashes < line.length() && line.charAt(hashes) == '#') {
                hashes++;
            }
            if (hashes > 0 && hashes <= level && hashes < line.length() && line.charAt(hashes) == ' ') {
                break;
            }
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** Every {@code public static final int} of {@link Cmd}: name to code. */
    private static Map<String, Integer> commands() throws IllegalAccessException {
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (Field f : Cmd.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (f.getType() == int.class && Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod)) {
                codes.put(f.getName(), f.getInt(null));
            }
        }
        return codes;
    }

    private record Row(int code, String section) {
    }

    /** The rows of the §2.1 command table, by name. */
    private static Map<String, Row> commandTable() {
        String table = SECTIONS.get("2.1");
        assertTrue(table != null, "docs/protocol.md has no section 2.1 (the command table)");
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            Matcher m = TABLE_ROW.matcher(line);
            if (m.matches()) {
                rows.put(m.group(2), new Row(Integer.parseInt(m.group(1)), m.group(3)));
            }
        }
        return rows;
    }

    private static boolean namesWord(String text, String word) {
        return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(word) + "(?![A-Za-z0-9_])").matcher(text).find();
    }

    @Test
    void everyCommandCodeHasASectionNamingIt() throws IllegalAccessException {
        Map<String, Integer> commands = commands();
        assertTrue(commands.size() > 80, "Cmd's constants: " + commands.keySet());
        Map<String, Row> rows = commandTable();
        List<String> problems = new ArrayList<>();
        commands.forEach((name, code) -> {
            Row row = rows.get(name);
            if (row == null) {
                problems.add(name + " (" + code + "): no row in the command table of §2.1");
                return;
            }
            if (row.code() != code) {
                problems.add(name + ": §2.1 says code " + row.code() + ", Cmd says " + code);
            }
            String section = SECTIONS.get(row.section());
            if (section == null) {
                problems.add(name + ": §2.1 points to §" + row.section() + ", which has no heading");
            } else if (!namesWord(section, name)) {
                problems.add(name + ": §" + row.section() + " does not name it");
            }
        });
        rows.forEach((name, row) -> {
            if (!commands.containsKey(name)) {
                problems.add("§2.1 lists " + row.code() + " " + name + ", which is not a constant of Cmd");
            }
        });
        assertEquals(List.of(), problems, "docs/protocol.md against io.kfdfs.protocol.Cmd");
    }

    @Test
    void everyCitedSectionExists() throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(repo, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(repo)) {
                    return FileVisitResult.CONTINUE;
                }
                Path rel = repo.relativize(dir);
                String name = dir.getFileName().toString();
                boolean inSrc = false;
                for (Path part : rel) {
                    inSrc |= part.toString().equals("src");
                }
                // modules are at most three levels down (client/protocol/src); below that only src/ trees matter
                boolean skip = name.startsWith(".") || name.equals("target") || name.equals("node_modules")
                        || (!inSrc && rel.getNameCount() > 3);
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = repo.relativize(file).toString().replace('\\', '/');
                if (rel.endsWith(".java") && (rel.startsWith("src/") || rel.contains("/src/"))) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        try (Stream<Path> docs = Files.list(repo.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
        }
        assertTrue(files.size() > 100, "found only " + files.size() + " files under " + repo);
        List<String> missing = new ArrayList<>();
        int cited = 0;
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = repo.relativize(f) + ":" + (i + 1);
                Matcher m = CITED_SECTION.matcher(line);
                while (m.find()) {
                    if (line.lastIndexOf("RFC", m.start()) >= 0) {
                        continue; // RFC 9110 §14.2 and the like
                    }
                    cited++;
                    if (!SECTIONS.containsKey(m.group(1))) {
                        missing.add(where + ": §" + m.group(1));
                    }
                }
                Matcher a = CITED_APPENDIX.matcher(line);
                while (a.find()) {
                    String appendix = APPENDICES.get(a.group(1));
                    if (appendix == null) {
                        missing.add(where + ": Appendix " + a.group(1));
                    } else if (a.group(2) != null
                            && !Pattern.compile("(?m)^" + a.group(2) + "\\. ").matcher(appendix).find()) {
                        missing.add(where + ": Appendix " + a.group(1) + "." + a.group(2));
                    }
                }
            }
        }
        assertTrue(cited > 100, "found only " + cited + " section citations");
        assertEquals(List.of(), missing, "cited, but not a heading (or appendix item) of docs/protocol.md");
    }
}
