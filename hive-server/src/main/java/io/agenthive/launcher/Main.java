package io.agenthive.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.common.AsyncCallbacks;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The hub's command line. {@code serve} (the default) runs a node on the configured database until
 * stopped; {@code demo} shows the hive at work and exits.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    AsyncCallbacks.useCommonPool();
    String command = args.length == 0 ? "serve" : args[0];
    List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    Config config = ConfigFactory.load();
    int code;
    try {
      code = run(command, rest, config);
    } catch (UsageError e) {
      System.err.println(e.getMessage());
      code = 2;
    } catch (Exception e) {
      var sentence = StartupProblems.explain(e, config);
      if (sentence.isEmpty()) {
        throw e;
      }
      System.err.println(sentence.get());
      code = 2; // the person running it can fix it: the same code as any other misuse
    }
    System.exit(code);
  }

  private static int run(String command, List<String> rest, Config config) throws Exception {
    return switch (command) {
      case "serve" -> {
        CommandOptions.parse("./hive serve", rest, Set.of(), Set.of()); // settings: environment
        yield ServeCommand.run(config);
      }
      case "demo" -> DemoCommand.run(config, DemoCommand.Options.parse(rest));
      case "load" -> LoadCommand.run(config, LoadCommand.Options.parse(rest));
      case "export" -> JournalCommands.export(config, rest);
      case "replay" -> JournalCommands.replay(config, rest);
      case "verify" -> JournalCommands.verify(config, rest);
      case "replay-decisions" -> DecisionCommands.replayDecisions(config, rest);
      case "import" -> BackupCommands.importBackup(config, rest);
      case "compact" -> CompactCommand.run(config, rest);
      case "keys", "users" -> AccessCommand.run(config, command, rest);
      case "worker" -> WorkerCommand.run(rest);
      case "mcp" -> McpCommand.run(config, rest);
      case "help", "--help", "-h" -> usage(0);
      default ->
          throw new UsageError("./hive has no command '" + command + "'; ./hive help lists them.");
    };
  }

  private static int usage(int code) {
    System.out.println(
        """
        usage: hive [command]
          serve   run the hub node on the embedded database (default; Ctrl-C stops it)
          demo    register a few agents, run a few dozen tasks, show progress, exit
                  options: --agents N (default 6), --tasks N (default 36), --seed N (default 7)
          load    measure end-to-end tasks/s with the noop skill on <data-dir>/load
                  options: --tasks N (2000), --agents N (8), --concurrency N (64), --print-acks
          export  stream the journal as NDJSON: --since OFFSET (exclusive), --out FILE (default stdout);
                  --backup writes the whole database instead, for ./hive import
          import  load a backup (export --backup) into an empty database and verify it:
                  ./hive import FILE; with HIVE_DB=postgres, how a hive moves off H2
          replay  print the hive's state as of an instant: --at 2026-12-01T12:00:00Z (UTC);
                  --json prints all of it (every agent and task) as indented JSON
          verify  check that the journal was not altered: every event's hash chain and the
                  signed checkpoints; names the first broken link; --json for all of it
          replay-decisions  re-run every routing decision through today's policy or a proposed
                  one (--policy FILE: weights per capability) and list those that differ, with
                  the scores' inputs; --from/--to INSTANT, --json
          compact rewrite the embedded database's file without its dead space (H2 only; the
                  file grows by tens of KB per task while the hub runs)
                  (export, import, replay, verify, replay-decisions and compact use the
                  database directly: stop the hub first on H2)
          keys    API keys of a running hub (HIVE_API_KEY, or the first admin key in the data
                  directory): create --name N --role viewer|operator|admin|worker, list,
                  revoke ID   [--url http://host:port]
          users   local users for logins: create --username U --role R (password asked, or
                  one line on stdin), list, remove U, set-role U --role R, set-password U
          worker  the reference remote worker: --url ws://127.0.0.1:8080/ws/worker --token T
                  (or HIVE_WORKER_TOKEN) --name N --capability name=0.8 ... [--agent-id ID]
                  [--work-ms 100]; docs/worker-protocol.md
          mcp     the hive as MCP tools on stdio for an assistant: --url http://host:8080
                  (default this machine's hub), key in HIVE_API_KEY; README "Use it from an
                  assistant"
          bench   (./hive bench only) the benchmark harness: [core|http|recovery|routing|scale|
                  remote|dataset|cluster|lists] [--quick] [--runs N]; "./hive bench gate" is
                  CI's performance gate (ratios against bench/gate.properties); bench/README.md
          cluster (./hive cluster only) three nodes on this machine on one local PostgreSQL;
                  Ctrl-C stops them (docs/cluster.md)
          help    this text
        environment: HIVE_DATA_DIR (default ./data), HIVE_NODE_NAME, HIVE_QUEUE_BOUND,
          HIVE_DB=postgres + HIVE_DB_URL, HIVE_DISCOVERY (config|kubernetes-api: a cluster),
          HIVE_AUTH (on; off only on loopback), HIVE_CORS_ORIGINS, HIVE_PUBLIC_HOSTS,
          HIVE_TLS_KEYSTORE, HIVE_OIDC_ISSUER, HIVE_OIDC_AUDIENCE,
          HIVE_HTTP_MAX_CONNECTIONS_PER_ADDRESS (docs/security.md)""");
    return code;
  }
}
