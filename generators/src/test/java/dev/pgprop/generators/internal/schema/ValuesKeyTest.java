package dev.pgprop.generators.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Unique and foreign keys compare values by {@link Values#key}: one key for numbers PostgreSQL holds equal. */
class ValuesKeyTest {
    @Test
    void equalNumbersOfAnyTypeAreOneKey() {
        Object five = Values.key(5);
        assertThat(Values.key((short) 5)).isEqualTo(five);
        assertThat(Values.key(5L)).isEqualTo(five);
        assertThat(Values.key(new BigDecimal("5.00"))).isEqualTo(five);
        assertThat(Values.key(new BigDecimal("5E+0"))).isEqualTo(five);
        assertThat(Values.key(5.0d)).isEqualTo(five);
        assertThat(Values.key(new BigDecimal("1E+3"))).isEqualTo(Values.key(1000));
        assertThat(Values.key(new BigDecimal("5.50"))).isEqualTo(Values.key(new BigDecimal("5.5")));
        assertThat(Values.key(new BigDecimal("123456789012345678901234567890")))
                .isEqualTo(Values.key(new BigDecimal("123456789012345678901234567890.000")));
    }

    @Test
    void differentNumbersAreDifferentKeys() {
        assertThat(Values.key(5)).isNotEqualTo(Values.key(new BigDecimal("5.5")));
        assertThat(Values.key(5)).isNotEqualTo(Values.key(6L));
        assertThat(Values.key(Long.MAX_VALUE)).isNotEqualTo(Values.key(new BigDecimal(Long.MAX_VALUE).add(BigDecimal.ONE)));
        assertThat(Values.key(Double.NaN)).isNotEqualTo(Values.key(0));
        assertThat(Values.key(5)).isNotEqualTo(Values.key("5"));
    }

    @Test
    void numbersCompareAsPostgresOrdersThem() {
        assertThat(Values.compareNumbers((short) 3, 14)).isNegative();
        assertThat(Values.compareNumbers(14L, (short) 14)).isZero();
        assertThat(Values.compareNumbers(Long.MIN_VALUE, Long.MAX_VALUE)).isNegative();
        assertThat(Values.compareNumbers(3, new BigDecimal("2.5"))).isPositive();
        assertThat(Values.compareNumbers(Double.NaN, Integer.MAX_VALUE)).isPositive();
    }
}
