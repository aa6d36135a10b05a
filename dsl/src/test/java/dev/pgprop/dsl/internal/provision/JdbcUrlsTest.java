package dev.pgprop.dsl.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {
    @Test
    void swapsTheDatabaseAndKeepsParameters() {
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://db:5432/postgres?sslmode=require", "x"))
                .isEqualTo("jdbc:postgresql://db:5432/x?sslmode=require");
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://db:5432", "x")).isEqualTo("jdbc:postgresql://db:5432/x");
        assertThatThrownBy(() -> JdbcUrls.withDatabase("jdbc:mysql://db/x?password=hunter2", "y"))
                .hasMessageContaining("not a PostgreSQL JDBC URL")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void masksPasswordsInParametersAndUserInfo() {
        assertThat(JdbcUrls.mask("jdbc:postgresql://h/db?user=u&password=hunter2&sslmode=require"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&sslmode=require");
        assertThat(JdbcUrls.mask("jdbc:postgresql://h/db?PASSWORD=hunter2")).doesNotContain("hunter2");
        assertThat(JdbcUrls.mask("postgresql://u:hunter2@h:5432/db")).isEqualTo("postgresql://u:***@h:5432/db");
        assertThat(JdbcUrls.mask("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }
}
