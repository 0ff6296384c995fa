package io.seqguard;

import static io.seqguard.GeneratedNames.ident;
import static io.seqguard.GeneratedNames.literal;
import static io.seqguard.GeneratedNames.qualified;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A randomly generated schema of tables, sequences, data and sequence states (the description comes from jqwik), the
 * code that builds it on a real server, and an oracle for what seqguard should report, written from the design notes
 * and the {@link AllocationRule} javadoc rather than from the library's code.
 */
final class GeneratedSchema {

    /** How a table's key column gets its sequence. */
    enum Kind {
        SERIAL, BIGSERIAL, IDENTITY_BY_DEFAULT, IDENTITY_ALWAYS, DEFAULT_NEXTVAL,
        /** {@code DEFAULT nextval(...)} on the sequence of an earlier table: one sequence, two tables. */
        SHARED
    }

    /** Where the sequence is left before seqguard looks at it. */
    enum StateMode {
        /** Never called: {@code last_value = start, is_called = false}. */
        FRESH,
        /** {@code nextval()} called a few times. */
        NEXTVAL,
        /** {@code setval(v, true)} with {@code v} near the data (ahead, equal or behind). */
        CALLED,
        /** {@code setval(v, false)} with {@code v} near the data. */
        UNCALLED,
        /** {@code setval(v, true)} far ahead of the data. */
        FAR_AHEAD,
        /** {@code setval(end of range, true)}: it has handed out its last value. */
        AT_END
    }

    /**
     * One explicit id: near the start of the usable range (or its end), {@code offset} values in; in a
     * {@code numeric} column, {@code fraction} moves it half a value further in.
     */
    record Point(boolean nearEnd, int offset, boolean fraction) {
    }

    /** One table and, unless it is {@link Kind#SHARED}, the sequence it owns. */
    record TableSpec(Kind kind, int step, boolean descending, boolean bounded, String columnType,
            boolean bigintSequence, boolean primaryKey, List<Point> data, StateMode state, int stateOffset,
            int shareWith, int tableName, int columnName) {
    }

    /** Sequences next to the tables that seqguard must never touch (it cannot verify them). */
    record Bystanders(boolean orphanSequence, boolean textDefault, int stateOffset) {
    }

    /** The whole try: schema, tables, bystanders and the aligner's settings. */
    record Scenario(int schemaName, List<TableSpec> tables, Bystanders bystanders, AllocationRule rule, long margin,
            int jobs, boolean blockWriters) {

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("Scenario[rule=" + rule + ", margin=" + margin + ", jobs=" + jobs
                    + ", blockWriters=" + blockWriters + ", schema#" + schemaName + ", " + bystanders);
            for (TableSpec t : tables) {
                text.append("\n  ").append(t);
            }
            return text.append(']').toString();
        }
    }

    /** A column of the built schema. */
    static final class Table {
        String name;
        String column;
        String columnType;
        boolean identityAlways;
        final TreeSet<BigDecimal> values = new TreeSet<>();
        Sequence sequence;

        String qualifiedIn(String schema) {
            return qualified(schema, name);
        }
    }

    /** A sequence of the built schema with everything the oracle needs. */
    static final class Sequence {
        String name;
        long increment;
        String type;
        BigInteger seqMin;
        BigInteger seqMax;
        final List<Table> tables = new ArrayList<>();

        boolean descending() {
            return increment < 0;
        }

        /** The sequence's range narrowed to every column type it feeds. */
        BigInteger usableLow() {
            BigInteger low = seqMin;
            for (Table t : tables) {
                BigInteger min = typeMin(t.columnType);
                low = min == null ? low : low.max(min);
            }
            return low;
        }

        BigInteger usableHigh() {
            BigInteger high = seqMax;
            for (Table t : tables) {
                BigInteger max = typeMax(t.columnType);
                high = max == null ? high : high.min(max);
            }
            return high;
        }

        /** Max of all fed columns (min when descending); null when all are empty. */
        BigDecimal dataBound() {
            BigDecimal bound = null;
            for (Table t : tables) {
                if (!t.values.isEmpty()) {
                    BigDecimal b = descending() ? t.values.first() : t.values.last();
                    bound = bound == null ? b : descending() ? bound.min(b) : bound.max(b);
                }
            }
            return bound;
        }

        /**
         * The data bound as the whole number a sequence value must pass: rounded up for an ascending sequence, down
         * for a descending one (ids are whole numbers, so 10.5 in use needs 11, and -10.5 needs -11).
         */
        BigInteger wholeDataBound() {
            BigDecimal bound = dataBound();
            return bound == null ? null
                    : bound.setScale(0, descending() ? RoundingMode.FLOOR : RoundingMode.CEILING).toBigInteger();
        }

        BigInteger start() {
            return descending() ? seqMax : seqMin;
        }
    }

    /** The state of one sequence as {@code SELECT last_value, is_called} shows it. */
    record State(long lastValue, boolean isCalled) {

        BigInteger next(long increment) {
            BigInteger last = BigInteger.valueOf(lastValue);
            return isCalled ? last.add(BigInteger.valueOf(increment)) : last;
        }
    }

    /** What the design says seqguard must find and do for one sequence. */
    record Expected(SequenceStatus status, BigInteger requiredNext, BigInteger targetLast) {

        /** The next value after a repair: one increment past the target. */
        BigInteger nextAfterRepair(long increment) {
            return targetLast == null ? null : targetLast.add(BigInteger.valueOf(increment));
        }
    }

    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final AtomicInteger TRIES = new AtomicInteger();

    final String schema;
    final List<Table> tables = new ArrayList<>();
    final List<Sequence> sequences = new ArrayList<>();
    /** Sequences seqguard cannot verify (no column, or a non-numeric default). */
    final List<String> bystanders = new ArrayList<>();

    private GeneratedSchema(String schema) {
        this.schema = schema;
    }

    /**
     * Creates a schema of its own (the name unique to this try: jqwik may go on shrinking an earlier failure in the
     * background) and builds the scenario in it.
     */
    static GeneratedSchema build(Connection connection, Scenario scenario) throws SQLException {
        GeneratedSchema built = new GeneratedSchema(GeneratedNames.hostile(scenario.schemaName(),
                "prop" + TRIES.incrementAndGet()));
        built.create(connection, scenario);
        return built;
    }

    private void create(Connection c, Scenario scenario) throws SQLException {
        exec(c, "DROP SCHEMA IF EXISTS " + ident(schema) + " CASCADE", "CREATE SCHEMA " + ident(schema));
        List<TableSpec> specs = scenario.tables();
        // 1. structure
        for (int i = 0; i < specs.size(); i++) {
            TableSpec spec = specs.get(i);
            Kind kind = spec.kind() == Kind.SHARED && i == 0 ? Kind.DEFAULT_NEXTVAL : spec.kind();
            Table t = new Table();
            t.name = GeneratedNames.hostile(spec.tableName(), "t" + i);
            t.column = GeneratedNames.hostile(spec.columnName(), "id");
            String pk = spec.primaryKey() ? " PRIMARY KEY" : "";
            String table = qualified(schema, t.name);
            String col = ident(t.column);
            Sequence s = kind == Kind.SHARED ? null : newSequence(spec, kind);
            switch (kind) {
                case SERIAL:
                case BIGSERIAL:
                    t.columnType = kind == Kind.SERIAL ? "integer" : "bigint";
                    exec(c, "CREATE TABLE " + table + " (" + col + (kind == Kind.SERIAL ? " serial" : " bigserial")
                            + pk + ")");
                    s.name = serialSequence(c, table, t.column);
                    exec(c, "ALTER SEQUENCE " + qualified(schema, s.name) + options(s) + " RESTART");
                    break;
                case IDENTITY_BY_DEFAULT:
                case IDENTITY_ALWAYS:
                    t.columnType = identityType(spec);
                    t.identityAlways = kind == Kind.IDENTITY_ALWAYS;
                    exec(c, "CREATE TABLE " + table + " (" + col + " " + t.columnType + " GENERATED "
                            + (t.identityAlways ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY (" + options(s).trim()
                            + ")" + pk + ")");
                    s.name = serialSequence(c, table, t.column);
                    break;
                case DEFAULT_NEXTVAL:
                    t.columnType = spec.columnType();
                    s.name = GeneratedNames.hostile(spec.columnName() + spec.tableName(), "seq" + i);
                    exec(c, "CREATE SEQUENCE " + qualified(schema, s.name) + " AS " + s.type + options(s),
                            "CREATE TABLE " + table + " (" + col + " " + t.columnType + " DEFAULT nextval("
                                    + literal(qualified(schema, s.name)) + ")" + pk + ")");
                    break;
                case SHARED:
                    t.columnType = spec.columnType();
                    s = tables.get(Math.floorMod(spec.shareWith(), i)).sequence;
                    exec(c, "CREATE TABLE " + table + " (" + col + " " + t.columnType + " DEFAULT nextval("
                            + literal(qualified(schema, s.name)) + ")" + pk + ")");
                    break;
                default:
                    throw new IllegalStateException(kind.toString());
            }
            t.sequence = s;
            s.tables.add(t);
            tables.add(t);
        }
        // 2. data, inside each sequence's usable range (the sequence's, narrowed to every column type it feeds)
        for (int i = 0; i < specs.size(); i++) {
            Table t = tables.get(i);
            Sequence s = t.sequence;
            BigInteger low = s.usableLow();
            BigInteger high = s.usableHigh();
            for (Point p : specs.get(i).data()) {
                BigInteger offset = BigInteger.valueOf(p.offset());
                boolean fromHigh = p.nearEnd() != s.descending();
                BigDecimal v = new BigDecimal((fromHigh ? high.subtract(offset) : low.add(offset)).max(low).min(high));
                if (p.fraction() && "numeric".equals(t.columnType) && high.compareTo(low) > 0) {
                    v = fromHigh ? v.subtract(HALF) : v.add(HALF);
                }
                t.values.add(v);
            }
            if (!t.values.isEmpty()) {
                StringBuilder insert = new StringBuilder("INSERT INTO " + qualified(schema, t.name)
                        + (t.identityAlways ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ");
                String sep = "";
                for (BigDecimal v : t.values) {
                    insert.append(sep).append('(').append(v.toPlainString()).append(')');
                    sep = ", ";
                }
                exec(c, insert.toString());
            }
        }
        // 3. sequence states, after the data (inserting with explicit ids never touches them)
        for (int i = 0; i < specs.size(); i++) {
            Table t = tables.get(i);
            if (t.sequence.tables.get(0) != t) {
                continue; // a shared sequence gets the state of the table that owns it
            }
            setState(c, t.sequence, specs.get(i).state(), specs.get(i).stateOffset());
        }
        // 4. bystanders
        Bystanders b = scenario.bystanders();
        if (b.orphanSequence()) {
            String name = GeneratedNames.hostile(b.stateOffset(), "orphan");
            exec(c, "CREATE SEQUENCE " + qualified(schema, name),
                    "SELECT setval(" + literal(qualified(schema, name)) + ", " + (1 + b.stateOffset()) + ", "
                            + (b.stateOffset() % 2 == 0) + ")");
            bystanders.add(name);
        }
        if (b.textDefault()) {
            String name = GeneratedNames.hostile(b.stateOffset() + 1, "invoice");
            exec(c, "CREATE SEQUENCE " + qualified(schema, name),
                    "CREATE TABLE " + qualified(schema, name + " t") + " (code text DEFAULT 'INV-' || nextval("
                            + literal(qualified(schema, name)) + "))",
                    "INSERT INTO " + qualified(schema, name + " t") + " VALUES ('INV-5000')");
            bystanders.add(name);
        }
    }

    private Sequence newSequence(TableSpec spec, Kind kind) {
        Sequence s = new Sequence();
        s.increment = spec.descending() ? -spec.step() : spec.step();
        switch (kind) {
            case SERIAL:
                s.type = "integer";
                break;
            case BIGSERIAL:
                s.type = "bigint";
                break;
            case DEFAULT_NEXTVAL:
                s.type = spec.bigintSequence() ? "bigint" : "integer";
                break;
            default:
                s.type = identityType(spec); // identity: the column's type
        }
        if (spec.bounded()) {
            s.seqMin = BigInteger.valueOf(spec.descending() ? -1000 : 1);
            s.seqMax = BigInteger.valueOf(spec.descending() ? -1 : 1000);
        } else {
            s.seqMin = spec.descending() ? typeMin(s.type) : BigInteger.ONE;
            s.seqMax = spec.descending() ? BigInteger.valueOf(-1) : typeMax(s.type);
        }
        sequences.add(s);
        return s;
    }

    /** Identity columns are smallint, integer or bigint. */
    private static String identityType(TableSpec spec) {
        return "numeric".equals(spec.columnType()) ? "bigint" : spec.columnType();
    }

    private static String options(Sequence s) {
        return " INCREMENT BY " + s.increment + " MINVALUE " + s.seqMin + " MAXVALUE " + s.seqMax + " START WITH "
                + s.start();
    }

    private void setState(Connection c, Sequence s, StateMode mode, int offset) throws SQLException {
        String seq = literal(qualified(schema, s.name));
        BigInteger sign = BigInteger.valueOf(s.descending() ? -1 : 1);
        BigInteger bound = s.wholeDataBound();
        BigInteger anchor = bound != null ? bound : s.start();
        switch (mode) {
            case FRESH:
                return;
            case NEXTVAL:
                for (int k = 0; k <= offset % 3; k++) {
                    exec(c, "SELECT nextval(" + seq + ")");
                }
                return;
            case CALLED:
            case UNCALLED: {
                BigInteger v = clamp(anchor.add(sign.multiply(BigInteger.valueOf(offset - 60))), s);
                exec(c, "SELECT setval(" + seq + ", " + v + ", " + (mode == StateMode.CALLED) + ")");
                return;
            }
            case FAR_AHEAD: {
                BigInteger v = clamp(anchor.add(sign.multiply(BigInteger.valueOf(1000 + offset))), s);
                exec(c, "SELECT setval(" + seq + ", " + v + ", true)");
                return;
            }
            case AT_END:
                exec(c, "SELECT setval(" + seq + ", " + (s.descending() ? s.seqMin : s.seqMax) + ", true)");
                return;
            default:
                throw new IllegalStateException(mode.toString());
        }
    }

    private static BigInteger clamp(BigInteger v, Sequence s) {
        return v.max(s.seqMin).min(s.seqMax);
    }

    private String serialSequence(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT c.relname FROM pg_class c WHERE c.oid = pg_get_serial_sequence(?, ?)::regclass")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no sequence behind " + table + "." + column);
                }
                return rs.getString(1);
            }
        }
    }

    /** The sequence of this schema with that name. */
    Sequence sequence(String name) {
        for (Sequence s : sequences) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The oracle: the status and repair target the design notes prescribe. Values are normalized (negated for a
     * descending sequence) so that every rule reads as for an ascending one.
     */
    static Expected expect(Sequence s, BigInteger next, AllocationRule rule, long margin) {
        BigInteger bound = s.wholeDataBound();
        if (bound == null) {
            return new Expected(SequenceStatus.EMPTY, null, null);
        }
        BigInteger sign = BigInteger.valueOf(s.descending() ? -1 : 1);
        BigInteger step = BigInteger.valueOf(Math.abs(s.increment));
        BigInteger minN = s.descending() ? s.usableHigh().negate() : s.usableLow();
        BigInteger maxN = s.descending() ? s.usableLow().negate() : s.usableHigh();
        BigInteger n = next.multiply(sign);
        BigInteger m = bound.multiply(sign);
        BigInteger base;
        BigInteger required;
        switch (rule.kind()) {
            case POOLED: { // [v - block + 1, v] must lie above m; the block is the increment unless the rule says
                BigInteger block = rule.blockSize() > 0 ? BigInteger.valueOf(rule.blockSize()) : step;
                base = m.add(block.subtract(step).max(BigInteger.ZERO));
                required = m.add(block);
                break;
            }
            case HILO: { // [(v - 1) * block + 1, v * block] must lie above m
                BigInteger block = BigInteger.valueOf(rule.blockSize());
                BigInteger[] qr = m.divideAndRemainder(block);
                base = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
                required = base.add(BigInteger.ONE);
                break;
            }
            default: // plain, pooled-lo: next > m
                base = m;
                required = m.add(BigInteger.ONE);
        }
        BigInteger requiredNext = required.multiply(sign);
        if (n.compareTo(required) >= 0) {
            return new Expected(n.compareTo(maxN) > 0 ? SequenceStatus.EXHAUSTED : SequenceStatus.ALIGNED,
                    requiredNext, null);
        }
        if (required.compareTo(maxN) > 0) {
            return new Expected(SequenceStatus.EXHAUSTED, requiredNext, null);
        }
        // setval(target, true): the data's bound plus the margin, narrowed so that the next value stays in range
        BigInteger target = base.add(BigInteger.valueOf(margin)).max(minN).min(maxN.subtract(step));
        return new Expected(SequenceStatus.BEHIND, requiredNext, target.multiply(sign));
    }

    /** {@code last_value, is_called} of every sequence in the database outside PostgreSQL's own schemas. */
    static Map<List<String>, State> snapshot(Connection c) throws SQLException {
        return snapshot(c, null);
    }

    /** {@code last_value, is_called} of every sequence of this schema, those seqguard cannot verify included. */
    Map<List<String>, State> snapshotSchema(Connection c) throws SQLException {
        // only this try's schema: jqwik may still be shrinking an earlier failure in another one
        return snapshot(c, schema);
    }

    private static Map<List<String>, State> snapshot(Connection c, String onlySchema) throws SQLException {
        Map<List<String>, String> idents = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, c.relname, format('%I.%I', n.nspname, "
                + "c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'S' AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'"
                + " AND (?::text IS NULL OR n.nspname = ?) ORDER BY 1, 2")) {
            ps.setString(1, onlySchema);
            ps.setString(2, onlySchema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    idents.put(List.of(rs.getString(1), rs.getString(2)), rs.getString(3));
                }
            }
        }
        Map<List<String>, State> states = new LinkedHashMap<>();
        try (Statement st = c.createStatement()) {
            for (Map.Entry<List<String>, String> e : idents.entrySet()) {
                try (ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + e.getValue())) {
                    rs.next();
                    states.put(e.getKey(), new State(rs.getLong(1), rs.getBoolean(2)));
                }
            }
        }
        return states;
    }

    /** The state of one of this schema's sequences in a snapshot. */
    State state(Map<List<String>, State> snapshot, String sequence) {
        return snapshot.get(List.of(schema, sequence));
    }

    void drop(Connection c) throws SQLException {
        exec(c, "DROP SCHEMA IF EXISTS " + ident(schema) + " CASCADE");
    }

    static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String statement : sql) {
                try {
                    st.execute(statement);
                } catch (SQLException e) {
                    throw new SQLException(e.getMessage() + "\n  in: " + statement, e.getSQLState(), e);
                }
            }
        }
    }

    /** The smallest value of an integer type; null for numeric (unbounded). */
    static BigInteger typeMin(String type) {
        switch (type) {
            case "numeric":
                return null;
            case "smallint":
                return BigInteger.valueOf(Short.MIN_VALUE);
            case "integer":
                return BigInteger.valueOf(Integer.MIN_VALUE);
            default:
                return BigInteger.valueOf(Long.MIN_VALUE);
        }
    }

    /** The largest value of an integer type; null for numeric (unbounded). */
    static BigInteger typeMax(String type) {
        switch (type) {
            case "numeric":
                return null;
            case "smallint":
                return BigInteger.valueOf(Short.MAX_VALUE);
            case "integer":
                return BigInteger.valueOf(Integer.MAX_VALUE);
            default:
                return BigInteger.valueOf(Long.MAX_VALUE);
        }
    }
}
