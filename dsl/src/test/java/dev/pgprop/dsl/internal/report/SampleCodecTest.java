package dev.pgprop.dsl.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.ConfigurationException;
import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.Row;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SampleCodecTest {
    enum Status { PENDING, SHIPPED }

    record Item(String sku, int quantity, Status status, List<UUID> ids, Optional<String> note) {}

    /** A record the properties below never take: the replay input must not be able to build it. */
    record Elsewhere(String path) {}

    @SuppressWarnings("unused")
    static void property(Dataset d, int i, long l, double x, boolean b, String s, UUID u, Instant t, BigDecimal n,
                         Status st, Item item, Set<Integer> set, Optional<String> opt, String none, char c) {}

    @SuppressWarnings("unused")
    static void takesItem(Item item, Db db) {}

    private static Method method(String name) {
        return Arrays.stream(SampleCodecTest.class.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everySupportedValueRoundTripsAsItsDeclaredType() {
        Dataset d = Dataset.empty()
                .plus("t", Row.of("id", 1, "name", "it's \"x\"\n", "big", 9_000_000_000L, "at",
                        OffsetDateTime.parse("2024-01-02T03:04:05.123456Z"), "v", new float[] {1.5f, Float.NaN, -0f},
                        "meta", Map.of("k", "v"), "tags", List.of("a", "b"), "nothing", null));
        List<Object> params = new ArrayList<>(Arrays.asList(d, 42, 7L, 1.25, true, "s", UUID.randomUUID(),
                Instant.parse("2020-01-01T00:00:00Z"), new BigDecimal("1.10"), Status.SHIPPED,
                new Item("SKU-000001", 3, Status.PENDING, List.of(UUID.randomUUID()), Optional.of("n")),
                Set.of(1), Optional.empty(), null, 'c'));
        List<Type> types = List.of(method("property").getGenericParameterTypes());
        List<Object> back = SampleCodec.fromJson(SampleCodec.toJson(params), types);
        assertThat(back).hasSize(params.size());
        assertThat(back.get(0)).isEqualTo(d);
        assertThat(back.subList(1, back.size())).isEqualTo(params.subList(1, params.size()));
        assertThat(SampleCodec.decompress(SampleCodec.compress("{\"x\":1}"))).isEqualTo("{\"x\":1}");
    }

    @Test
    void whatCannotBeStoredSaysSo() {
        assertThatThrownBy(() -> SampleCodec.toJson(new ArrayList<>(List.of(new Object()))))
                .isInstanceOf(SampleCodec.Unsupported.class).hasMessageContaining("cannot be stored");
        // a Serializable value is not written as Java serialization any more
        assertThatThrownBy(() -> SampleCodec.toJson(new ArrayList<>(List.of(new java.util.Date()))))
                .isInstanceOf(SampleCodec.Unsupported.class);
        assertThatThrownBy(() -> SampleCodec.decompress("not-base64!")).hasMessageContaining("damaged");
    }

    private static String replayOf(String parameterJson) {
        String key = "dev.pgprop.dsl.internal.report.SampleCodecTest#takesItem[dev.pgprop.dsl.internal.report.SampleCodecTest$Item,"
                + " dev.pgprop.dsl.Db]";
        return "{\"format\":" + Replay.FORMAT + ",\"property\":\"" + key + "\",\"parameters\":[" + parameterJson
                + ",{\"injected\":\"Db\"}]}";
    }

    @Test
    void replayInputBuildsOnlyTheDeclaredTypesAndNeverDeserialises() {
        Method m = method("takesItem");
        Item item = new Item("SKU-1", 2, Status.PENDING, List.of(), Optional.empty());
        String ok = replayOf(Json(item));
        assertThat(Replay.parse(ok).parameters(m)).containsExactly(item, Replay.INJECTED);

        // Java serialization, which could build any class: refused, with the way out
        String serialised = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xac, (byte) 0xed, 0, 5});
        assertThatThrownBy(() -> Replay.parse(replayOf("{\"java\":\"" + serialised + "\"}")).parameters(m))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("Java-serialised")
                .hasMessageContaining("seed");
        // a record the property does not take is never built
        String other = "{\"record\":\"" + Elsewhere.class.getName() + "\",\"fields\":{\"path\":\"/etc/passwd\"}}";
        assertThatThrownBy(() -> Replay.parse(replayOf(other)).parameters(m))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("names record " + Elsewhere.class.getName());
    }

    private static String Json(Item item) {
        return dev.pgprop.dsl.internal.Json.write(SampleCodec.encode(item));
    }

    @Test
    void garbageTruncatedOrStaleReplayInputGetsAClearError() {
        Method m = method("takesItem");
        assertThatThrownBy(() -> Replay.parse("[1]")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("\"property\" and \"parameters\"");
        assertThatThrownBy(() -> Replay.parse("%%% not json")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("not JSON");
        String whole = replayOf(Json(new Item("S", 1, Status.SHIPPED, List.of(), Optional.empty())));
        assertThatThrownBy(() -> Replay.parse(whole.substring(0, whole.length() / 2))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cut short");
        // written by an older pgprop (no format, Java serialization allowed then)
        assertThatThrownBy(() -> Replay.parse("{\"property\":\"x#y[]\",\"parameters\":[]}"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("stale");
        // the property changed: another parameter count, another type
        assertThatThrownBy(() -> Replay.parse(replayOf("1").replace(",{\"injected\":\"Db\"}", "")).parameters(m))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("takes 2");
        assertThatThrownBy(() -> Replay.parse(replayOf("{\"int\":1}")).parameters(m))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("stale");
        // an inline sample cut short
        System.setProperty("pgprop.replay", "inline:" + SampleCodec.compress(whole).substring(0, 20));
        try {
            assertThatThrownBy(() -> Replay.fromSettings(dev.pgprop.dsl.internal.Settings.fromEnvironment()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("not a whole inline replay sample");
        } finally {
            System.clearProperty("pgprop.replay");
        }
    }
}
