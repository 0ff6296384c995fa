package io.seqguard.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/** Unpooled pgjdbc data sources. */
final class DataSources {

    private DataSources() {
    }

    /** A new data source for {@code url}; a null or empty password sends none. */
    static DataSource create(String url, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(user);
        if (password != null && !password.isEmpty()) {
            dataSource.setPassword(password);
        }
        dataSource.setApplicationName("seqguard-test");
        return dataSource;
    }

    /** Encodes a database name for the path of a JDBC URL, which pgjdbc URL-decodes. */
    static String encode(String database) {
        return URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
