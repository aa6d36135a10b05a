package dev.pgprop.dsl.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SampleCodecTest {
    enum Status { PENDING, SHIPPED }

    record Item(String sku, int quantity, Status status, List<UUID> ids, Optional<String> note) {}

    @Test
    void everySupportedValueRoundTrips() {
        Dataset d = Dataset.empty()
                .plus("t", Row.of("id", 1, "name", "it's \"x\"\n", "big", 9_000_000_000L, "at",
                        OffsetDateTime.parse("2024-01-02T03:04:05.123456Z"), "v", new float[] {1.5f, Float.NaN, -0f},
                        "meta", Map.of("k", "v"), "nothing", null));
        List<Object> params = new ArrayList<>(Arrays.asList(d, 42, 7L, 1.25, true, "s", UUID.randomUUID(),
                Instant.parse("2020-01-01T00:00:00Z"), new BigDecimal("1.10"), Status.SHIPPED,
                new Item("SKU-000001", 3, Status.PENDING, List.of(UUID.randomUUID()), Optional.of("n")),
                Set.of(1), Optional.empty(), null, 'c'));
        List<Object> back = SampleCodec.fromJson(SampleCodec.toJson(params));
        assertThat(back).hasSize(params.size());
        assertThat(back.get(0)).isEqualTo(d);
        assertThat(back.subList(1, back.size())).isEqualTo(params.subList(1, params.size()));
        assertThat(SampleCodec.decompress(SampleCodec.compress("{\"x\":1}"))).isEqualTo("{\"x\":1}");
    }

    @Test
    void whatCannotBeStoredSaysSo() {
        assertThatThrownBy(() -> SampleCodec.toJson(new ArrayList<>(List.of(new Object()))))
                .isInstanceOf(SampleCodec.Unsupported.class).hasMessageContaining("cannot be stored");
        assertThatThrownBy(() -> SampleCodec.decompress("not-base64!")).hasMessageContaining("damaged");
        assertThatThrownBy(() -> Replay.parse("[1]")).hasMessageContaining("\"property\" and \"parameters\"");
    }
}
