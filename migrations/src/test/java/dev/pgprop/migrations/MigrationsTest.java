package dev.pgprop.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void placeholdersCarryTheDimension() {
        assertThat(Migrations.placeholders(8)).containsExactly(Map.entry("embedding_dim", "8"));
        assertThat(Migrations.placeholders(1)).containsEntry(Migrations.EMBEDDING_DIM_PLACEHOLDER, "1");
        assertThat(Migrations.placeholders(Migrations.MAX_EMBEDDING_DIM))
                .containsEntry(Migrations.EMBEDDING_DIM_PLACEHOLDER, "2000");
    }

    @Test
    void placeholdersRejectDimensionsTheHnswIndexCannotTake() {
        for (int bad : new int[] {0, -3, 2001, 16000}) {
            assertThatThrownBy(() -> Migrations.placeholders(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("embedding dimension " + bad)
                    .hasMessageContaining("1 to 2000");
        }
    }

    @Test
    void defaultPlaceholderFileMatchesTheConstant() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = resource("placeholders.properties")) {
            defaults.load(in);
        }
        assertThat(defaults).containsOnlyKeys(Migrations.EMBEDDING_DIM_PLACEHOLDER);
        assertThat(defaults.getProperty(Migrations.EMBEDDING_DIM_PLACEHOLDER))
                .isEqualTo(Integer.toString(Migrations.DEFAULT_EMBEDDING_DIM));
    }

    @Test
    void migrationFilesHaveTheirPublishedNames() throws IOException {
        for (String name : new String[] {
            "V1__extension_and_roles.sql",
            "V2__inventory.sql",
            "V3__allocations.sql",
            "V4__payments.sql",
            "V5__vectors.sql",
            "V6__grants.sql",
            "V7__allocations_updated_at.sql"
        }) {
            try (InputStream in = resource(name)) {
                assertThat(in.readAllBytes()).as(name).isNotEmpty();
            }
        }
    }

    private static InputStream resource(String name) {
        String path = Migrations.LOCATION.substring("classpath:".length()) + "/" + name;
        InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path);
        assertThat(in).as("classpath resource " + path).isNotNull();
        return in;
    }
}
