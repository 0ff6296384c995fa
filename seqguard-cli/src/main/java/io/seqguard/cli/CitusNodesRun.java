package io.seqguard.cli;

import io.seqguard.AlignmentReport;
import io.seqguard.CitusCluster;
import io.seqguard.RepairAction;
import io.seqguard.SeqguardException;
import io.seqguard.StartupGuardException;
import io.seqguard.UnknownObjectException;
import io.seqguard.Verdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * over incomplete 4 over aligned 0).
 */
final class CitusNodesRun {

    /** The verbs that run on every node. */
    enum Verb { VERIFY, PLAN, REPAIR }

    /** What one node's run gave: its report, or why there is none, and its exit code. */
    private record NodeResult(long group, String address, AlignmentReport report, String message, int exitCode) {
    }

    private final AlignRun run;
    private final CommandLine commandLine;
    private final AlignOptions options;

    CitusNodesRun(AlignRun run, CommandLine commandLine, AlignOptions options) {
        this.run = run;
        this.commandLine = commandLine;
        this.options = options;
    }

    int run(Verb verb) {
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
                results.add(new NodeResult(group, "-", null, "group " + group + (group == 0 ? " (the coordinator)"
                        : "") + " hands out ids but pg_dist_node lists no address for it (on the coordinator, "
                        + "citus_set_coordinator_host sets one); run seqguard against it with --url", ExitCode.FAILURE));
                continue;
            }
            results.add(runOn(verb, group, node));
        }
        run.finishProgress();
        print(cluster, results);
        int worst = ExitCode.ALIGNED;
        for (NodeResult result : results) {
            worst = worse(worst, result.exitCode());
        }
        return worst;
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

    private NodeResult runOn(Verb verb, long group, PGSimpleDataSource node) {
        String address = address(node);
        try {
            switch (verb) {
                case VERIFY:
                    return result(group, address, run.aligner(node).verify());
                case PLAN:
                    return result(group, address, run.aligner(node).plan());
                default:
                    return repair(group, address, node);
            }
        } catch (UnknownObjectException e) {
            throw e; // a name the user gave: a usage error, as on one node
        } catch (SeqguardException e) {
            return new NodeResult(group, address, null, e.getMessage(), ExitCode.FAILURE);
        }
    }

    private NodeResult repair(long group, String address, PGSimpleDataSource node) {
        try {
            return result(group, address, run.repairGuard(node).run().report());
        } catch (StartupGuardException e) {
            switch (e.reason()) {
                case STANDBY:
                case SUBSCRIPTION:
                case SEQUENCE_SYNC:
                    return new NodeResult(group, address, null, "refused: " + e.getMessage(), ExitCode.DRIFT);
                case DRIFT:
                case REPAIR_FAILED:
                case INCOMPLETE:
                    if (e.report() != null) {
                        return result(group, address, e.report());
                    }
                    return new NodeResult(group, address, null, e.getMessage(), ExitCode.FAILURE);
                default:
                    if (e.getCause() instanceof UnknownObjectException unknown) {
                        throw unknown;
                    }
                    return new NodeResult(group, address, null, e.getMessage(), ExitCode.FAILURE);
            }
        }
    }

    private static NodeResult result(long group, String address, AlignmentReport report) {
        int code = !report.withAction(RepairAction.FAILED).isEmpty() ? ExitCode.DRIFT : ExitCode.of(report.verdict());
        return new NodeResult(group, address, report, null, code);
    }

    private void print(CitusCluster cluster, List<NodeResult> results) {
        PrintWriter out = commandLine.getOut();
        switch (options.format) {
            case json:
                out.print(json(cluster, results));
                break;
            case sql:
                for (NodeResult r : results) {
                    String sql = r.report() == null ? "" : r.report().toSql();
                    out.print("-- node " + r.address() + " (group " + r.group() + "): " + (r.report() == null
                            ? oneLine(r.message()) + "\n" : sql.isEmpty() ? "nothing to run\n"
                                    : "run these on that node; setval() reaches no other\n" + sql));
                }
                break;
            default:
                for (NodeResult r : results) {
                    out.print("== node " + r.address() + " (group " + r.group() + (r.group() == 0 ? ", coordinator"
                            : ", worker") + ")\n" + (r.report() != null ? r.report().toText()
                                    : "seqguard: " + r.message() + "\n") + "\n");
                }
                out.print("all nodes: " + summary(results) + "\n");
        }
        out.flush();
        for (NodeResult r : results) {
            if (r.report() == null && options.format != AlignOptions.Format.text) {
                commandLine.getErr().println("seqguard: node " + r.address() + " (group " + r.group() + "): "
                        + r.message());
            }
        }
    }

    /** Each node's outcome in a word, in group order. */
    private static String summary(List<NodeResult> results) {
        List<String> parts = new ArrayList<>();
        for (NodeResult r : results) {
            parts.add("group " + r.group() + " " + outcome(r));
        }
        return String.join(", ", parts);
    }

    private static String outcome(NodeResult r) {
        if (r.report() != null) {
            return r.exitCode() == ExitCode.DRIFT && r.report().verdict() != Verdict.DRIFT
                    ? "repair failed" : r.report().verdict().name().toLowerCase(Locale.ROOT);
        }
        return r.exitCode() == ExitCode.DRIFT ? "refused" : "failed";
    }

    /**
     * The JSON of a run on every node: a document of its own (its own {@code formatVersion}), holding each node's
     * report in the shape of a single database's ({@code AlignmentReport.toJson()}).
     */
    private static String json(CitusCluster cluster, List<NodeResult> results) {
        StringBuilder json = new StringBuilder("{\n  \"formatVersion\": 1,\n  \"citusNodes\": true,\n");
        json.append("  \"citusVersion\": ").append(string(cluster.version())).append(",\n");
        int worst = ExitCode.ALIGNED;
        for (NodeResult r : results) {
            worst = worse(worst, r.exitCode());
        }
        json.append("  \"exitCode\": ").append(worst).append(",\n  \"nodes\": [");
        for (int i = 0; i < results.size(); i++) {
            NodeResult r = results.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\"group\": ").append(r.group())
                    .append(", \"address\": ").append(string(r.address()))
                    .append(", \"outcome\": ").append(string(outcome(r)))
                    .append(", \"exitCode\": ").append(r.exitCode())
                    .append(", \"message\": ").append(r.message() == null ? "null" : string(r.message()))
                    .append(",\n     \"report\": ")
                    .append(r.report() == null ? "null" : r.report().toJson().strip().replace("\n", "\n     "))
                    .append('}');
        }
        return json.append(results.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
    }

    /** The worse of two exit codes: failure over drift (or a refusal) over incomplete over aligned. */
    static int worse(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        switch (code) {
            case ExitCode.FAILURE:
                return 3;
            case ExitCode.DRIFT:
                return 2;
            case ExitCode.INCOMPLETE:
                return 1;
            default:
                return 0;
        }
    }

    private static String address(PGSimpleDataSource dataSource) {
        int[] ports = dataSource.getPortNumbers();
        return dataSource.getServerNames()[0] + ":" + (ports == null || ports.length == 0 || ports[0] == 0 ? 5432
                : ports[0]);
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    private static String string(String value) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
