package dev.pgprop.dsl.internal.provision;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDBC URL helpers: swap the database, mask secrets. */
public final class JdbcUrls {
    private static final Pattern PG_URL = Pattern.compile("^(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?$");
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)([?&;](?:password|sslpassword|sslkey|token|secret)=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(?i)(//[^/:@?]+:)[^@/?]*@");

    private JdbcUrls() {}

    /** The same server and parameters, another database. */
    public static String withDatabase(String jdbcUrl, String database) {
        Matcher m = PG_URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + mask(jdbcUrl)
                    + " (expected jdbc:postgresql://host:port/database)");
        }
        String query = m.group(3) == null ? "" : m.group(3);
        return m.group(1) + "/" + database + query;
    }

    /** Secrets in a URL (password parameters, user:password@) replaced by ***. */
    public static String mask(String text) {
        String s = SECRET_PARAM.matcher(text).replaceAll("$1***");
        return USERINFO.matcher(s).replaceAll("$1***@");
    }
}
