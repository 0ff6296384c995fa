package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.SeqguardException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the source database (the old primary, or a replica of it): every sequence in the configured schemas with its
 * definition and state, through the same catalog query and state reads as the target. Only read-only transactions
 * run there, so a standby and a role that may only read its sequences both work.
 */
final class SourceReader {

    private final AlignerConfiguration config;

    SourceReader(AlignerConfiguration config) {
        this.config = config;
    }

    /**
     * The source's sequences by {@code [schema, name]}, in schema and name order. A sequence whose state could not be
     * read carries {@link SequenceInfo#skipReason} or {@link SequenceInfo#stateError}.
     *
     * @throws SeqguardException when the source cannot be reached or read
     */
    Map<List<String>, SequenceInfo> read() {
        Session session;
        try {
            session = Session.open(config.getSource(), true, config.getStatementTimeout(), config.getLockTimeout());
        } catch (SeqguardException e) {
            throw new SeqguardException(config.getVocabulary().name("source") + " (the old primary): " + e.getMessage(),
                    e);
        }
        try (session) {
            int versionNum = session.inCatalogTransaction(connection -> {
                try (Statement st = connection.createStatement();
                        ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            List<SequenceInfo> sequences = session.inCatalogTransaction(
                    connection -> new ArrayList<>(new CatalogReader(config).readSequences(connection).values()));
            for (SequenceInfo s : sequences) {
                if (!s.schemaUsage || !(s.canSelect || s.canUsage)) {
                    s.skipReason = "the role connecting to the source may not read it: GRANT USAGE ON SCHEMA "
                            + SqlNames.quote(s.schema) + " and GRANT SELECT ON SEQUENCE " + s.ident
                            + " on the source";
                }
            }
            new StateReader(versionNum).read(session, sequences);
            Map<List<String>, SequenceInfo> result = new LinkedHashMap<>();
            for (SequenceInfo s : sequences) {
                result.put(List.of(s.schema, s.name), s);
            }
            return result;
        } catch (SQLException e) {
            throw new SeqguardException("seqguard could not read the source database: " + e.getMessage(), e);
        }
    }
}
