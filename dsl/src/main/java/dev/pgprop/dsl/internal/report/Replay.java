package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.internal.JsonReader;
import dev.pgprop.dsl.ConfigurationException;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.internal.Json;
import dev.pgprop.dsl.internal.Settings;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A stored minimal sample: which property, with which parameters (as typed JSON, read back only
 * as the types the property declares). {@code -Dpgprop.replay} names a replay file ({@code
 * .json}) or carries the sample inline ({@code inline:<gzip+base64url>}). Input that is garbage,
 * cut short, or stale (the property changed since) is a {@link ConfigurationException} that says
 * which.
 */
public record Replay(String property, List<@Nullable Object> encoded, @Nullable String className, @Nullable List<String> shape) {
    /** The version of the replay format; input of another version is refused as stale. */
    static final int FORMAT = 3;

    /** Marks a parameter that pgprop injects (a {@code Db}): the replay keeps the injected one. */
    public static final Object INJECTED = new Object() {
        @Override
        public String toString() {
            return "<injected>";
        }
    };

    /** The replay requested by {@code pgprop.replay}, if any. */
    public static Optional<Replay> fromSettings(Settings settings) {
        Optional<Settings.Found> f = settings.lookup("replay");
        if (f.isEmpty()) {
            return Optional.empty();
        }
        String value = f.get().value();
        String json;
        if (value.startsWith("inline:")) {
            try {
                json = SampleCodec.decompress(value.substring("inline:".length()));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("pgprop.replay (from " + f.get().source() + ") is not a whole inline replay"
                        + " sample: " + e.getMessage());
            }
        } else {
            Path p = Path.of(value);
            if (!Files.isReadable(p) && !p.isAbsolute()) {
                // relative to the repository root when run from a module directory
                Path up = Path.of(System.getProperty("user.dir")).getParent();
                if (up != null && Files.isReadable(up.resolve(value))) {
                    p = up.resolve(value);
                }
            }
            try {
                json = Files.readString(p);
            } catch (IOException e) {
                throw new ConfigurationException("pgprop.replay is '" + value + "' (from " + f.get().source()
                        + "), but that file cannot be read: " + e.getMessage()
                        + ". Give the .json file the failure report named, or the inline: form of its replay command.");
            }
        }
        return Optional.of(parse(json));
    }

    /** A replay file written by a failure report. */
    public static Replay parseFile(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /**
     * The shape of a property's parameters, what its generators are built from: per parameter its
     * annotations (the {@code @ForAll} provider, the constraints), its annotated type, and for a
     * named provider that method's return type. A stored sample of another shape was drawn by
     * other generators.
     */
    public static List<String> shape(Class<?> type, Method method) {
        List<String> out = new ArrayList<>();
        java.lang.annotation.Annotation[][] annotations = method.getParameterAnnotations();
        java.lang.reflect.AnnotatedType[] types = method.getAnnotatedParameterTypes();
        for (int i = 0; i < types.length; i++) {
            java.util.TreeSet<String> parts = new java.util.TreeSet<>();
            for (java.lang.annotation.Annotation a : annotations[i]) {
                parts.add(a.toString());
                if (a instanceof net.jqwik.api.ForAll f && !f.value().isEmpty()) {
                    provider(type, f.value()).ifPresent(p -> parts.add("provided by " + p.getName() + "(): "
                            + p.getGenericReturnType().getTypeName()));
                }
            }
            String typeName = types[i].toString();
            for (java.lang.annotation.Annotation a : types[i].getAnnotations()) {
                parts.add(a.toString());
                typeName = typeName.replace(a.toString(), "").strip();
            }
            out.add(String.join(" ", parts) + (parts.isEmpty() ? "" : " ") + typeName);
        }
        return out;
    }

    private static Optional<Method> provider(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                net.jqwik.api.Provide p = m.getAnnotation(net.jqwik.api.Provide.class);
                if (p != null && (p.value().equals(name) || (p.value().isEmpty() && m.getName().equals(name)))) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }

    /** The replay JSON of a failed property's sample, with the property's identity. */
    static String write(Class<?> type, Method method, @Nullable String seed, List<@Nullable Object> sample,
                        Optional<MigrationSet> migrations) {
        String propertyKey = dev.pgprop.dsl.internal.jqwik.SeedHook.propertyKey(method);
        List<@Nullable Object> encoded = new ArrayList<>();
        for (Object p : sample) {
            encoded.add(p == INJECTED || p instanceof Db ? Map.of("injected", "Db") : SampleCodec.encode(p));
        }
        Map<String, @Nullable Object> replay = new LinkedHashMap<>();
        replay.put("format", FORMAT);
        replay.put("property", propertyKey);
        replay.put("class", type.getName());
        replay.put("method", method.getName());
        replay.put("parameterTypes", java.util.Arrays.stream(method.getGenericParameterTypes()).map(Type::getTypeName).toList());
        replay.put("shape", shape(type, method));
        replay.put("seed", seed);
        replay.put("parameters", encoded);
        migrations.ifPresent(m -> {
            replay.put("migrations", m.locations());
            replay.put("placeholders", m.placeholders());
            if (!m.preset().isEmpty()) {
                replay.put("preset", m.preset());
            }
        });
        return Json.write(replay);
    }

    @SuppressWarnings("unchecked")
    static Replay parse(String json) {
        Object o;
        try {
            o = JsonReader.parse(json);
        } catch (RuntimeException e) {
            throw new ConfigurationException("the replay input is not JSON (" + e.getMessage() + "); it may be cut short:"
                    + " copy the whole replay command, or give the .json file the failure report named");
        }
        if (!(o instanceof Map<?, ?> m) || !(m.get("property") instanceof String property) || !(m.get("parameters") instanceof List<?>)) {
            throw new ConfigurationException("the replay input is not a pgprop replay sample: a replay file is a JSON object"
                    + " with \"property\" and \"parameters\"; this one is not");
        }
        Object format = m.get("format");
        if (!(format instanceof java.math.BigDecimal f) || f.intValue() != FORMAT) {
            throw new ConfigurationException("the replay input of " + property + " is in replay format " + format
                    + ", and this pgprop reads format " + FORMAT + "; it is stale: rerun the property with its seed and"
                    + " use the replay command of the new failure");
        }
        List<String> shape = m.get("shape") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : null;
        return new Replay(property, new ArrayList<>((List<Object>) m.get("parameters")),
                m.get("class") instanceof String c ? c : null, shape);
    }

    /**
     * Fails, naming what was expected and what was stored, unless this sample was stored by the
     * property {@code method} of {@code type} as it is now: the same class, method, parameter types
     * and generator shape.
     */
    public void check(Class<?> type, Method method) {
        String key = dev.pgprop.dsl.internal.jqwik.SeedHook.propertyKey(method);
        List<String> problems = new ArrayList<>();
        if (className != null && !className.equals(type.getName())) {
            problems.add("class: expected " + type.getName() + ", stored " + className);
        }
        if (!property.equals(key)) {
            problems.add("property: expected " + key + ", stored " + property);
        }
        List<String> now = shape(type, method);
        if (shape != null && !shape.equals(now)) {
            for (int i = 0; i < Math.max(now.size(), shape.size()); i++) {
                String e = i < now.size() ? now.get(i) : "(none)";
                String st = i < shape.size() ? shape.get(i) : "(none)";
                if (!e.equals(st)) {
                    problems.add("parameter " + (i + 1) + ": expected " + e + ", stored " + st);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("the replay sample does not belong to " + type.getName() + "#" + method.getName()
                    + " as it is now, so nothing was replayed: " + String.join("; ", problems) + ". Replay a sample that"
                    + " this property stored (its failure report names it), or rerun the property with its seed.");
        }
    }

    /** {@code Class#method} of the stored property key (without its parameter types). */
    public String method() {
        int bracket = property.indexOf('[');
        return bracket < 0 ? property : property.substring(0, bracket);
    }

    /** The stored method's simple name. */
    public String methodName() {
        String m = method();
        return m.substring(m.indexOf('#') + 1);
    }

    /**
     * The stored parameters, each read as the type {@code method} declares; an injected {@link Db}
     * is {@link #INJECTED}.
     */
    public List<@Nullable Object> parameters(Method method) {
        Type[] types = method.getGenericParameterTypes();
        Class<?>[] raw = method.getParameterTypes();
        if (encoded.size() != types.length) {
            throw new ConfigurationException("the replay sample has " + encoded.size() + " parameters, but "
                    + method.getName() + " takes " + types.length + "; the property changed since the failure was stored:"
                    + " rerun it with its seed instead");
        }
        List<@Nullable Object> out = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            Object e = encoded.get(i);
            if (e instanceof Map<?, ?> pm && pm.containsKey("injected")) {
                out.add(INJECTED);
                continue;
            }
            Object v;
            try {
                v = SampleCodec.decode(e, types[i]);
            } catch (RuntimeException ex) {
                throw new ConfigurationException("parameter " + (i + 1) + " of the replay input of " + method() + " cannot be"
                        + " read: " + ex.getMessage() + ". Rerun the property with its seed instead.");
            }
            if (v != null && !box(raw[i]).isInstance(v)) {
                throw new ConfigurationException("parameter " + (i + 1) + " of the replay input of " + method() + " is a "
                        + v.getClass().getName() + ", but the property takes a " + types[i].getTypeName()
                        + "; the input is stale (the property changed): rerun it with its seed instead");
            }
            out.add(v);
        }
        return out;
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return java.lang.invoke.MethodType.methodType(c).wrap().returnType();
    }
}
