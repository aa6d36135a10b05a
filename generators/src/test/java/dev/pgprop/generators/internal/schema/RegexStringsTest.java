package dev.pgprop.generators.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.curiousoddman.rgxgen.RgxGen;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RegexStrings} gives, seed for seed, the string RgxGen generates, and null exactly when
 * that string is longer than the maximum: its quick measuring draws what RgxGen's generation does.
 */
class RegexStringsTest {
    /** The corpus' patterns, and shapes they do not use: alternations, groups, back references, dots, escapes. */
    private static final List<String> PATTERNS = List.of(
            "^[a-z0-9._]+@[a-z0-9]+\\.[a-z]{2,4}$", "^[0-9A-Z -]{3,10}$", "^[0-9]{4}(-[0-9]{2,6})?$", "^[0-9]{5}$",
            "^[A-Z0-9]+$", "^[A-Z]{3}-[0-9]{4,8}$", "^[^@ ]+@[^@ ]+$", "^[a-z]+(\\.[a-z]+)*$", "^[a-z][a-z0-9-]{2,29}$",
            "(ab|c(d|ef)*)+x{0,3}", "(a+|bc)-\\1-\\1", "\\d{3}-\\w+\\s?z", "a.b.*", "(foo|bar|baz){2,}[^a-c]?", "x(?=y)y",
            "colou?r|gr[ae]y+", "[\\p{L}]{1,4}");
    private static final int[] MAXIMA = {0, 3, 10, 20, 50, 1000};

    @Test
    void theStringsOfRgxGenAndNullExactlyForThoseTooLong() {
        for (String pattern : PATTERNS) {
            same(new RegexStrings(pattern), pattern);
        }
    }

    @Test
    void aNegativeLookaroundIsGeneratedNotMeasured() {
        same(new RegexStrings("a(?!b)[a-c]{1,80}"), "a(?!b)[a-c]{1,80}");
    }

    @Test
    void aMeasureThatDrawsOtherwiseIsToldApart() {
        // the comparison can fail: an unbounded repetition of 60 rather than RgxGen's 100 measures other lengths
        assertThatThrownBy(() -> same(new RegexStrings("^[a-z0-9._]+@[a-z0-9]+\\.[a-z]{2,4}$", 60),
                "^[a-z0-9._]+@[a-z0-9]+\\.[a-z]{2,4}$")).isInstanceOf(AssertionError.class);
    }

    private static void same(RegexStrings ours, String pattern) {
        RgxGen rgx = RgxGen.parse(pattern);
        int tooLong = 0;
        int kept = 0;
        for (int max : MAXIMA) {
            for (long seed = 0; seed < 1500; seed++) {
                long s = seed * 0x9E3779B97F4A7C15L;
                String expected = rgx.generate(new Random(s));
                String actual = ours.generate(s, max);
                assertThat(actual).as("%s, seed %s, max %s", pattern, s, max).isEqualTo(expected.length() > max ? null : expected);
                if (actual == null) {
                    tooLong++;
                } else {
                    kept++;
                }
            }
        }
        assertThat(kept).as("some strings of %s fit", pattern).isPositive();
        assertThat(tooLong).as("some strings of %s are too long", pattern).isPositive();
    }
}
