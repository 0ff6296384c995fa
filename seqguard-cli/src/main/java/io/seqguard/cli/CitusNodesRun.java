package io.seqguard.cli;

import io.seqguard.CitusCluster;
import io.seqguard.SeqguardException;
import io.seqguard.UnknownObjectException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;

/**
 * {@code --all-nodes}: one verify, plan or repair on every node of a Citus cluster that hands out ids. Citus does not
 * carry {@code setval()} to other nodes and gives each node its own range of every bigint sequence, so each node is
 * judged and repaired on its own connection, by the same run an application's guard makes there: the advisory lock of
 * that node, its refusals (a standby, a cutover's subscription, never Citus's own shard moves), its privileges (GRANTs
 * on identity sequences do not reach the workers) and every timeout. The nodes are the groups the node named by
 * {@code --url} knows (its {@code pg_dist_node}), reached at the address Citus lists with {@code --url}'s database,
 * user, password and parameters. One report per node; the exit code is the worst (failure 1 over drift or refusal 3
 * over incomplete 4 over aligned 0). Its JSON has the shape of the document of several databases ({@link Part}).
 */
final class CitusNodesRun {

    /** Bumped when a field of the several-nodes document changes meaning or disappears. */
    static final int FORMAT_VERSION = 1;

    /** One node's part of the run. */
    private record NodeResult(long group, String address, Part part) {
    }

    private final AlignRun run;
    private final CommandLine commandLine;
    private final AlignOptions options;

    CitusNodesRun(AlignRun run, CommandLine commandLine, AlignOptions options) {
        this.run = run;
        this.commandLine = commandLine;
        this.options = options;
    }

    /** Runs verify, plan or repair on every node and prints one document; returns the worst exit code. */
    int run(String command) {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        PGSimpleDataSource named = run.dataSource();
        CitusCluster cluster = run.aligner(named).citus();
        if (cluster == null) {
            throw new CommandLine.ParameterException(commandLine, "--all-nodes: database " + named.getDatabaseName()
                    + " at " + address(named) + " is no Citus node (the citus extension is not installed in it); "
                    + "run without --all-nodes");
        }
        List<NodeResult> results = new ArrayList<>();
        for (long group : cluster.groups()) {
            PGSimpleDataSource node = group == cluster.group() ? named : node(cluster, group);
            if (node == null) {
                results.add(new NodeResult(group, "-", new Part(null, "group " + group + (group == 0
                        ? " (the coordinator)" : "") + " hands out ids but pg_dist_node lists no address for it (on "
                        + "the coordinator, citus_set_coordinator_host sets one); run seqguard against it with "
                        + "--url")));
                continue;
            }
            results.add(runOn(command, group, node));
        }
        run.finishProgress();
        print(command, cluster, results, startedAt, Duration.ofNanos(System.nanoTime() - t0));
        return worst(results);
    }

    /** {@code --url} with the host and port Citus lists for the node of {@code group}; null when it lists none. */
    private PGSimpleDataSource node(CitusCluster cluster, long group) {
        for (CitusCluster.Node node : cluster.nodes()) {
            if (node.group() == group) {
                PGSimpleDataSource dataSource = run.dataSource();
                dataSource.setServerNames(new String[] {node.host()});
                dataSource.setPortNumbers(new int[] {node.port()});
                return dataSource;
            }
        }
        return null;
    }

    private NodeResult runOn(String command, long group, PGSimpleDataSource node) {
        String address = address(node);
        try {
            return new NodeResult(group, address, new Part(run.result(command, node), null));
        } catch (UnknownObjectException e) {
            throw e; // a name the user gave: a usage error, as on one node
        } catch (SeqguardException e) {
            return new NodeResult(group, address, new Part(null, e.getMessage()));
        }
    }

    private void print(String command, CitusCluster cluster, List<NodeResult> results, Instant startedAt,
            Duration duration) {
        PrintWriter out = commandLine.getOut();
        options.write(out, text -> {
            for (NodeResult r : results) {
                text.append("== node ").append(r.address()).append(" (group ").append(String.valueOf(r.group()))
                        .append(r.group() == 0 ? ", coordinator" : ", worker").append(")\n");
                if (r.part().message() != null) {
                    text.append("seqguard: ").append(r.part().message()).append('\n');
                } else {
                    r.part().result().report().writeText(text);
                }
                text.append('\n');
            }
            text.append("all nodes: ").append(summary(results)).append('\n');
        }, json -> json(json, command, cluster, results, startedAt, duration), sql -> {
            for (NodeResult r : results) {
                sql.append("-- node ").append(r.address()).append(" (group ").append(String.valueOf(r.group()))
                        .append("): ");
                if (r.part().message() != null) {
                    sql.append(oneLine(r.part().message())).append('\n');
                } else if (r.part().result().report().toSql().isEmpty()) {
                    sql.append("nothing to run\n");
                } else {
                    sql.append("run these on that node; setval() reaches no other\n");
                    r.part().result().report().writeSql(sql);
                }
            }
        });
        out.flush();
        for (NodeResult r : results) {
            if (r.part().message() != null && options.format != AlignOptions.Format.text) {
                commandLine.getErr().println("seqguard: node " + r.address() + " (group " + r.group() + "): "
                        + r.part().message());
            }
        }
    }

    /** Each node's outcome in a word, in group order. */
    private static String summary(List<NodeResult> results) {
        List<String> parts = new ArrayList<>();
        for (NodeResult r : results) {
            parts.add("group " + r.group() + " " + r.part().outcome());
        }
        return String.join(", ", parts);
    }

    private static int worst(List<NodeResult> results) {
        return Part.worst(parts(results));
    }

    private static List<Part> parts(List<NodeResult> results) {
        List<Part> parts = new ArrayList<>();
        for (NodeResult r : results) {
            parts.add(r.part());
        }
        return parts;
    }

    /**
     * The JSON of a run on every node: a document of its own ({@code nodesFormatVersion}), in the shape of the
     * document of several databases, holding each node's report in the shape of a single database's.
     */
    private static void json(Appendable out, String command, CitusCluster cluster, List<NodeResult> results,
            Instant startedAt, Duration duration) throws IOException {
        StringBuilder json = new StringBuilder("{\n  \"nodesFormatVersion\": ").append(FORMAT_VERSION)
                .append(",\n  \"citusNodes\": true,\n  \"operation\": ");
        Json.string(json, command);
        json.append(",\n  \"citusVersion\": ");
        Json.string(json, cluster.version());
        json.append(",\n  \"startedAt\": ");
        Json.string(json, startedAt.toString());
        json.append(",\n  \"durationMillis\": ").append(duration.toMillis()).append(",\n  \"outcome\": ");
        Json.string(json, Part.outcome(parts(results)));
        json.append(",\n  \"exitCode\": ").append(worst(results)).append(",\n  \"nodes\": [");
        for (int i = 0; i < results.size(); i++) {
            NodeResult r = results.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\n      \"group\": ").append(r.group())
                    .append(",\n      \"address\": ");
            Json.string(json, r.address());
            r.part().writeJson(out, json, "      ");
            json.append("\n    }");
        }
        out.append(json.append(results.isEmpty() ? "]\n}\n" : "\n  ]\n}\n"));
    }

    /** The worse of two exit codes: failure over drift (or a refusal) over incomplete over aligned. */
    static int worse(int a, int b) {
        return ExitCode.worse(a, b);
    }

    private static String address(PGSimpleDataSource dataSource) {
        int[] ports = dataSource.getPortNumbers();
        return dataSource.getServerNames()[0] + ":" + (ports == null || ports.length == 0 || ports[0] == 0 ? 5432
                : ports[0]);
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }
}
