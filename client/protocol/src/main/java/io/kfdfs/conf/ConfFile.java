package io.kfdfs.conf;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A FastDFS {@code .conf} file (tracker.conf, storage.conf, client.conf, mod_fastdfs.conf), read the way
 * libfastcommon's ini reader reads it, with typed getters and environment overrides.
 *
 * <h2>Syntax</h2>
 * <ul>
 *   <li>{@code key = value}; blanks around key and value are trimmed; the value may be empty. A value is
 *   never cut at {@code #} (secret keys may contain one).</li>
 *   <li>Lines starting with {@code #} are comments, blank lines are ignored.</li>
 *   <li>{@code #include other.conf} reads another file in place; a relative name is relative to the
 *   directory of the including file. An include that is missing, or that includes itself directly or
 *   indirectly, is an error. ({@code ##include} is a comment.)</li>
 *   <li>{@code [Section]} starts a section: the keys after it are named {@code Section.key} (for example
 *   storage.conf's {@code [access-log]} gives {@code access-log.enabled}). Each file starts outside any
 *   section, and an included file does not change the section of the file that includes it.</li>
 *   <li>A key may be written several times. {@link #getAll} returns every value in order (for
 *   {@code tracker_server}, {@code allow_hosts}); the single-value getters take the last one, so a later
 *   line overrides an earlier or included one.</li>
 *   <li>A line that is none of the above is an error.</li>
 * </ul>
 *
 * <h2>Environment overrides</h2>
 * {@link #withEnv} replaces the value of a key by the environment variable {@code KFDFS_<KEY>}: the key in
 * upper case with every character other than a letter or digit turned into {@code _}. So {@code port} is
 * {@code KFDFS_PORT}, {@code base_path} is {@code KFDFS_BASE_PATH}, {@code store_path0} is
 * {@code KFDFS_STORE_PATH0}, {@code http.anti_steal.secret_key} is {@code KFDFS_HTTP_ANTI_STEAL_SECRET_KEY},
 * {@code access-log.enabled} is {@code KFDFS_ACCESS_LOG_ENABLED}. For the repeatable keys
 * ({@link #REPEATABLE}) the variable holds all values separated by {@code ;} (commas belong to dual
 * addresses, colons to ports and IPv6): {@code KFDFS_TRACKER_SERVER=t0.svc:22122;t1.svc:22122}. An
 * override replaces every value the file had for that key. Only keys the caller declares, or that the file
 * contains, are looked up, so unrelated {@code KFDFS_*} variables are ignored.
 *
 * <h2>Typed values</h2>
 * An empty value counts as absent: the getter returns its default. An invalid value throws
 * {@link ConfException} naming the file and line (or the environment variable) and the key.
 */
public final class ConfFile {

    /** Keys that FastDFS allows several times. */
    public static final Set<String> REPEATABLE = Set.of("tracker_server", "allow_hosts");

    private static final System.Logger LOG = System.getLogger(ConfFile.class.getName());
    private static final String INCLUDE = "#include";

    /** One value of a key and where it was read: {@code /etc/fdfs/tracker.conf:12} or an env variable. */
    public record Entry(String key, String value, String origin) {
    }

    private final Path path;
    private final Map<String, List<Entry>> entries;

    private ConfFile(Path path, Map<String, List<Entry>> entries) {
        this.path = path;
        this.entries = entries;
    }

    /** Reads {@code file} and its includes. */
    public static ConfFile load(Path file) {
        Map<String, List<Entry>> entries = new LinkedHashMap<>();
        read(file, readLines(file, null), new ArrayDeque<>(), entries);
        return new ConfFile(file, entries);
    }

    /** Parses {@code text} as if it were the content of {@code file} (includes are relative to its directory). */
    public static ConfFile parse(Path file, String text) {
        Map<String, List<Entry>> entries = new LinkedHashMap<>();
        read(file, text.lines().toList(), new ArrayDeque<>(), entries);
        return new ConfFile(file, entries);
    }

    private static List<String> readLines(Path file, String includedFrom) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfException((includedFrom == null ? "" : includedFrom + ": ")
                    + "config file " + file + " not found");
        } catch (IOException e) {
            throw new ConfException((includedFrom == null ? "" : includedFrom + ": ")
                    + "cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void read(Path file, List<String> lines, Deque<Path> including,
            Map<String, List<Entry>> entries) {
        including.push(file.toAbsolutePath().normalize());
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String origin = file + ":" + (i + 1);
            if (line.startsWith(INCLUDE) && (line.length() == INCLUDE.length()
                    || Character.isWhitespace(line.charAt(INCLUDE.length())))) {
                include(file, line.substring(INCLUDE.length()).strip(), origin, including, entries);
            } else if (line.isEmpty() || line.startsWith("#")) {
                continue;
            } else if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                if (section.isEmpty()) {
                    throw new ConfException(origin + ": empty section name");
                }
            } else {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    throw new ConfException(origin + ": expected \"key = value\", got \"" + line + "\"");
                }
                String key = line.substring(0, eq).strip();
                if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                    throw new ConfException(origin + ": invalid key \"" + key + "\"");
                }
                String name = section.isEmpty() ? key : section + "." + key;
                entries.computeIfAbsent(name, k -> new ArrayList<>())
                        .add(new Entry(name, line.substring(eq + 1).strip(), origin));
            }
        }
        including.pop();
    }

    private static void include(Path file, String name, String origin, Deque<Path> including,
            Map<String, List<Entry>> entries) {
        if (name.isEmpty()) {
            throw new ConfException(origin + ": #include without a file name");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path target = dir == null ? Path.of(name) : dir.resolve(name);
        if (including.contains(target.toAbsolutePath().normalize())) {
            throw new ConfException(origin + ": #include " + name + " is an include cycle ("
                    + target.normalize() + " is already being read)");
        }
        read(target, readLines(target, origin), including, entries);
    }

    public Path path() {
        return path;
    }

    /** Every key read, in the order first seen. */
    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** Every value of {@code key} in file order; empty if absent. */
    public List<String> getAll(String key) {
        return entries.getOrDefault(key, List.of()).stream().map(Entry::value).toList();
    }

    /** The last value of {@code key}, if present. */
    public Optional<Entry> entry(String key) {
        List<Entry> list = entries.get(key);
        return list == null ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    /** The keys read that are not in {@code declared}, in the order first seen. */
    public Set<String> unknownKeys(Collection<String> declared) {
        Set<String> unknown = new LinkedHashSet<>(entries.keySet());
        unknown.removeAll(Set.copyOf(declared));
        return unknown;
    }

    /** {@link #unknownKeys} and a warning about them: unknown keys are almost always typos. */
    public Set<String> warnUnknownKeys(Collection<String> declared) {
        Set<String> unknown = unknownKeys(declared);
        if (!unknown.isEmpty()) {
            LOG.log(Level.WARNING, "{0}: unknown keys ignored: {1}", path, String.join(", ", unknown));
        }
        return unknown;
    }

    /** The environment variable that overrides {@code key}: {@code KFDFS_} + key upper-cased, non-alphanumerics as {@code _}. */
    public static String envName(String key) {
        return "KFDFS_" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * A copy in which every key of {@code declared} or of this file that has a {@code KFDFS_<KEY>} variable
     * in {@code env} takes that variable's value (split at {@code ;} for {@link #REPEATABLE} keys).
     * Production passes {@link System#getenv()}.
     */
    public ConfFile withEnv(Map<String, String> env, Collection<String> declared) {
        Map<String, List<Entry>> copy = new LinkedHashMap<>(entries);
        Set<String> candidates = new LinkedHashSet<>(entries.keySet());
        candidates.addAll(declared);
        for (String key : candidates) {
            String var = envName(key);
            String value = env.get(var);
            if (value == null) {
                continue;
            }
            String origin = "environment variable " + var;
            List<String> values = REPEATABLE.contains(key)
                    ? List.of(value.split(";")).stream().map(String::strip).filter(v -> !v.isEmpty()).toList()
                    : List.of(value.strip());
            copy.put(key, values.stream().map(v -> new Entry(key, v, origin)).toList());
        }
        return new ConfFile(path, copy);
    }

    /**
     * The last value of {@code key} converted by {@code parser}, or {@code def} if absent or empty. The
     * parser reports a bad value with an {@link IllegalArgumentException}, which becomes a
     * {@link ConfException} naming the key and where its value came from.
     */
    public <T> T get(String key, T def, Function<String, T> parser) {
        Optional<Entry> e = entry(key);
        if (e.isEmpty() || e.get().value().isEmpty()) {
            return def;
        }
        return convert(e.get(), parser);
    }

    /** Every value of a repeatable key, converted. Empty values are skipped. */
    public <T> List<T> getAll(String key, Function<String, T> parser) {
        return entries.getOrDefault(key, List.of()).stream()
                .filter(e -> !e.value().isEmpty())
                .map(e -> convert(e, parser))
                .toList();
    }

    private static <T> T convert(Entry e, Function<String, T> parser) {
        try {
            return parser.apply(e.value());
        } catch (IllegalArgumentException ex) {
            throw new ConfException(e.origin() + ": invalid value for " + e.key() + " \"" + e.value() + "\": "
                    + ex.getMessage());
        }
    }

    /** An error about {@code key} after its value parsed, e.g. a rule between keys. */
    public ConfException invalid(String key, String reason) {
        String where = entry(key).map(Entry::origin).orElse(path.toString());
        return new ConfException(where + ": " + key + ": " + reason);
    }

    public String getString(String key, String def) {
        return get(key, def, Function.identity());
    }

    /** A value that must be present and non-empty. */
    public String requireString(String key) {
        String value = getString(key, null);
        if (value == null) {
            throw new ConfException(path + ": required key " + key + " is missing or empty");
        }
        return value;
    }

    public int getInt(String key, int def, int min, int max) {
        return (int) getLong(key, def, min, max);
    }

    public long getLong(String key, long def, long min, long max) {
        return get(key, def, s -> inRange(parseLong(s), min, max));
    }

    /** {@code true/false/yes/no/on/off/1/0}, any case. */
    public boolean getBoolean(String key, boolean def) {
        return get(key, def, ConfFile::parseBoolean);
    }

    /** A size in bytes: {@code 256KB}, {@code 4GB}, {@code 10M}, bare bytes. */
    public long getBytes(String key, long def, long min, long max) {
        return get(key, def, s -> inRange(Values.parseBytes(s), min, max));
    }

    /** A duration in seconds: a bare number, or with an {@code s/m/h/d} unit. */
    public int getSeconds(String key, int def, int min, int max) {
        return get(key, def, s -> (int) inRange(Values.parseSeconds(s), min, max));
    }

    /** A time of day, {@code HH:MM}. */
    public LocalTime getTime(String key, LocalTime def) {
        return get(key, def, s -> {
            try {
                return LocalTime.parse(s.length() == 4 ? "0" + s : s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expected a time of day HH:MM");
            }
        });
    }

    public ReservedSpace getReservedSpace(String key, ReservedSpace def) {
        return get(key, def, ReservedSpace::parse);
    }

    /** Every value of {@code key} as {@link HostPort}; {@code defaultPort} applies to values without a port. */
    public List<HostPort> getHostPorts(String key, int defaultPort) {
        return getAll(key, s -> HostPort.parse(s, defaultPort));
    }

    static boolean parseBoolean(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("expected true/false, yes/no, on/off or 1/0");
        };
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer");
        }
    }

    private static long inRange(long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return v;
    }
}
