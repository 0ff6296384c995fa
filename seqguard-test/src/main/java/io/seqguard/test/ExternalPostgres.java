package io.seqguard.test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/** A server that runs elsewhere (provider {@code external}, and Testcontainers), reached by a JDBC URL. */
final class ExternalPostgres implements PostgresServer {

    /** {@code jdbc:postgresql://hosts/database?parameters}; hosts may list several {@code host:port}. */
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]*)(?:/([^?]*))?(\\?.*)?");

    private final String prefix;
    private final String parameters;
    private final String defaultDatabase;
    private final String user;
    private final String password;
    private final int majorVersion;

    ExternalPostgres(String jdbcUrl, String user, String password) {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("seqguard.test.jdbc-url must look like "
                    + "jdbc:postgresql://host:port/database, not " + jdbcUrl);
        }
        this.prefix = m.group(1);
        this.defaultDatabase = m.group(2) == null || m.group(2).isEmpty() ? "postgres" : m.group(2);
        this.parameters = m.group(3) == null ? "" : m.group(3);
        this.user = user;
        this.password = password;
        this.majorVersion = readMajorVersion();
    }

    private int readMajorVersion() {
        String sql = "SHOW server_version_num";
        try (Connection connection = dataSource(defaultDatabase).getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10000;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + jdbcUrl(defaultDatabase) + " as " + user
                    + " (seqguard.test.jdbc-url, seqguard.test.user, seqguard.test.password): " + e.getMessage(), e);
        }
    }

    @Override
    public int majorVersion() {
        return majorVersion;
    }

    @Override
    public String jdbcUrl(String database) {
        return prefix + "/" + DataSources.encode(database) + parameters;
    }

    @Override
    public DataSource dataSource(String database) {
        return dataSource(database, user, password);
    }

    @Override
    public DataSource dataSource(String database, String user, String password) {
        return DataSources.create(jdbcUrl(database), user, password);
    }

    @Override
    public String superuser() {
        return user;
    }

    @Override
    public String defaultDatabase() {
        return defaultDatabase;
    }

    @Override
    public String toString() {
        return "ExternalPostgres[" + jdbcUrl(defaultDatabase) + " as " + user + "]";
    }
}
