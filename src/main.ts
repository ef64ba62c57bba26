/**
 * @module
 * The `patchpath` command: serve, ingest, migrate. Reads configuration, wires the runtime, no logic of its own.
 */
import { serve } from '@hono/node-server';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createApp } from './app.js';
import { httpSender, ingestFiles, localSender } from './cli/ingest-files.js';
import { loadDemoSboms } from './cli/load-demo-sboms.js';
import { loadDemoVex } from './cli/load-demo-vex.js';
import { DEMO_OPERATOR, loadDemoInventory } from './cli/load-demo-inventory.js';
import { httpAdvisorySender, loadShippedAdvisories, localAdvisorySender, shippedAdvisoryFiles } from './cli/load-advisories.js';
import { httpInventorySender, importInventoryFile, localInventorySender } from './cli/import-inventory.js';
import { appRequester, ChainQueryError, CHAINS_QUERY, formatChains, httpRequester, productArgument } from './cli/print-chains.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { MigrationError } from './db/migrate.js';
import { createLogger } from './observability/logger.js';
import { openRuntime } from './runtime.js';
import { warmUpIngest } from './store/warm-up-ingest.js';
import { generateApiToken } from './access/api-token.js';
import { formatRecording, formatScorecard, RECORD_SCORECARDS_QUERY, SCORECARD_QUERY } from './cli/print-scorecard.js';
import { scheduleScorecardHistory } from './scorecards/scorecard-history.js';
import { ROLES, type Role } from './access/principal.js';
import { ensureFirstAdminToken, formatTokenLines, issueDemoTokens } from './cli/bootstrap-tokens.js';
import { createTokenFromCli, revokeTokenFromCli } from './cli/manage-tokens.js';
import { AccessInputError } from './store/access.repository.js';

const program = new Command('patchpath')
  .description('SBOM supply-chain tracker for connected-device vendors and the hospitals that run their devices')
  .showHelpAfterError()
  .configureOutput({ outputError: (s, write) => write(s) });

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`'${v}' is not a port number (0-65535)`);
  return n;
};

program
  .command('serve')
  .description('serve REST (/v1/sboms), GraphQL (/graphql), /healthz, /readyz and /metrics')
  .addOption(new Option('-p, --port <n>', 'port to listen on (default: PORT or 4000)').argParser(port))
  .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
  .option('--demo', "load the demo SBOMs of sboms/, the project's advisory set with the demo VEX, and the demo hospital's devices, each when the database holds none")
  .action(async (opts: { port?: number; host?: string; demo?: boolean }) => {
    const base = loadConfig();
    const config: Config = { ...base, port: opts.port ?? base.port, host: opts.host ?? base.host };
    const rt = await openRuntime(config);
    const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.dataDir}`;
    rt.logger.info({ event: 'start', database: rt.dbHandle.backend, migrationsApplied: rt.applied }, `database: ${where}`);
    if (opts.demo) {
      const loaded = await loadDemoSboms(rt.db, rt.ingest);
      if (loaded) rt.logger.info({ event: 'demo', loaded }, `loaded ${loaded} demo SBOMs from sboms/`);
      const advisories = await loadShippedAdvisories(rt.db, config);
      if (advisories) {
        const vex = await loadDemoVex(rt.db, config);
        rt.logger.info({ event: 'demo', advisories, vex }, `loaded ${advisories} advisories of the project's TCP/IP advisory set and ${vex} demo VEX documents from sboms/vex/`);
      }
      const devices = await loadDemoInventory(rt.db);
      if (devices) rt.logger.info({ event: 'demo', devices }, `imported ${devices} devices of ${DEMO_OPERATOR} from sboms/inventory/`);
    }
    const now = new Date();
    if (opts.demo) {
      const tokens = await issueDemoTokens(rt.db, { now, days: config.tokenDays });
      process.stdout.write(`\nDemo API tokens, valid ${config.tokenDays} days (paste these lines into your shell; the README's examples send them):\n${formatTokenLines(tokens)}\n\n`);
    } else {
      const first = await ensureFirstAdminToken(rt.db, { now, days: config.tokenDays, configured: config.adminToken !== undefined });
      if (first) process.stdout.write(`\nNo API token existed, so an admin token was made. It is shown this once; keep it:\n${formatTokenLines([first])}\n\n`);
    }
    await warmUpIngest(rt.db);
    // After the demo data, so a newcomer's first day of history holds it.
    const history = config.scorecardHistory ? scheduleScorecardHistory(rt.db, { logger: rt.logger }) : undefined;
    const app = createApp(rt);
    const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
      rt.logger.info({ event: 'listening', address: info.address, port: info.port }, `patchpath listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port} (GraphQL: /graphql)`);
    });
    const shutdown = (signal: string) => {
      rt.logger.info({ event: 'stop', signal }, 'shutting down');
      // A recording of the day's scorecards under way finishes first: it is one transaction, never half-written.
      server.close(() => void Promise.resolve(history?.stop()).then(() => rt.close()).then(() => process.exit(0)));
      // Open keep-alive connections must not hold the process past a deploy's grace period.
      setTimeout(() => void rt.close().finally(() => process.exit(0)), 10_000).unref();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });

program
  .command('ingest')
  .description('ingest SBOM files; one line per file, exit 0 only when all were accepted')
  .argument('<files...>', 'SBOM files (CycloneDX JSON/XML, SPDX JSON/tag-value/RDF, SPDX 3 JSON-LD)')
  .option('--strict', 'reject any schema violation')
  .option('--json', 'one JSON object per line and file')
  .option('--server <url>', 'send to a running patchpath server instead of opening the database (e.g. http://localhost:4000)')
  .action(async (files: string[], opts: { strict?: boolean; json?: boolean; server?: string }) => {
    const config = loadConfig();
    const out = (line: string) => process.stdout.write(`${line}\n`);
    const progress = Boolean(process.stderr.isTTY) && !opts.json;
    if (opts.server) {
      const ok = await ingestFiles(files, { strict: opts.strict, json: Boolean(opts.json), send: httpSender(opts.server), out, progress });
      process.exitCode = ok ? 0 : 1;
      return;
    }
    // Logs go to stderr so stdout carries only the result lines.
    const rt = await openRuntime(config, { logger: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr) });
    try {
      const ok = await ingestFiles(files, { strict: opts.strict, json: Boolean(opts.json), send: localSender(rt.ingest), out, progress });
      process.exitCode = ok ? 0 : 1;
    } finally {
      await rt.close();
    }
  });

const advisories = program.command('advisories').description('advisories and VEX (OSV, CSAF 2.0, CycloneDX VEX/VDR, OpenVEX)');
advisories
  .command('load')
  .description("load advisory or VEX files; without files, the project's own TCP/IP stack advisory set")
  .argument('[files...]', 'OSV, CSAF 2.0, CycloneDX VEX/VDR or OpenVEX JSON files (default: the shipped set)')
  .option('--strict', 'reject any schema violation')
  .option('--json', 'one JSON object per line and file')
  .option('--server <url>', 'send to a running patchpath server instead of opening the database (e.g. http://localhost:4000)')
  .action(async (files: string[], opts: { strict?: boolean; json?: boolean; server?: string }) => {
    const config = loadConfig();
    const paths = files.length ? files : shippedAdvisoryFiles();
    const out = (line: string) => process.stdout.write(`${line}\n`);
    const progress = Boolean(process.stderr.isTTY) && !opts.json;
    if (opts.server) {
      process.exitCode = (await ingestFiles(paths, { strict: opts.strict, json: Boolean(opts.json), send: httpAdvisorySender(opts.server), out, progress })) ? 0 : 1;
      return;
    }
    const rt = await openRuntime(config, { logger: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr) });
    try {
      const send = localAdvisorySender(rt.db, config);
      process.exitCode = (await ingestFiles(paths, { strict: opts.strict, json: Boolean(opts.json), send, out, progress })) ? 0 : 1;
    } finally {
      await rt.close();
    }
  });

const inventory = program.command('inventory').description("operators' inventories: a hospital's installed devices, matched to the SBOMs of their product versions");
inventory
  .command('import')
  .description('import a device list (CSV with a header row, or JSON) into an operator\'s inventory; exit 0 only when it was imported')
  .argument('<file>', 'CSV (asset_tag, vendor, model, purl, cpe, firmware_version, location, segment, criticality) or JSON')
  .requiredOption('--operator <name>', 'the hospital or clinic whose inventory it is (created on its first import)')
  .option('--replace', 'delete the operator\'s devices the file does not list')
  .option('--json', 'print the answer as one JSON object')
  .option('--server <url>', 'send to a running patchpath server instead of opening the database (e.g. http://localhost:4000)')
  .action(async (file: string, opts: { operator: string; replace?: boolean; json?: boolean; server?: string }) => {
    const out = (line: string) => process.stdout.write(`${line}\n`);
    const options = { operator: opts.operator, replace: Boolean(opts.replace), json: Boolean(opts.json), out };
    if (opts.server) {
      process.exitCode = (await importInventoryFile(file, { ...options, send: httpInventorySender(opts.server) })) ? 0 : 1;
      return;
    }
    const rt = await openRuntime(loadConfig(), { logger: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr) });
    try {
      process.exitCode = (await importInventoryFile(file, { ...options, send: localInventorySender(rt.db) })) ? 0 : 1;
    } finally {
      await rt.close();
    }
  });

/**
 * One GraphQL question from the command line: to a running server (`--server`, token in PATCHPATH_TOKEN), or to the
 * app in this process over the database, with a per-process admin secret (the command line owns the database anyway).
 */
async function askGraphQL(server: string | undefined, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (server) return httpRequester(server)(query, variables);
  const secret = generateApiToken();
  const rt = await openRuntime({ ...loadConfig(), adminToken: secret }, { logger: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr) });
  try {
    return await appRequester(createApp(rt), secret)(query, variables);
  } finally {
    await rt.close();
  }
}

program
  .command('chain')
  .description('print the vendor chains of one product down to every TCP/IP stack in it')
  .argument('<purl-or-id>', 'an SBOM id, or a purl (with a version: that version; without: its latest version)')
  .option('--json', 'print the GraphQL answer as JSON')
  .option('--max-depth <n>', 'walk at most this many documents deep (default 10)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`'${v}' is not a depth (a whole number, 1 or more)`);
    return n;
  })
  .option('--latest', 'follow the latest version of each product instead of the one its lister names')
  .option('--server <url>', 'ask a running patchpath server instead of opening the database (e.g. http://localhost:4000)')
  .action(async (target: string, opts: { json?: boolean; maxDepth?: number; latest?: boolean; server?: string }) => {
    const variables = { product: productArgument(target), maxDepth: opts.maxDepth ?? null, latest: Boolean(opts.latest) };
    const print = (data: Record<string, unknown>) => process.stdout.write(`${opts.json ? JSON.stringify(data, null, 2) : formatChains(data)}\n`);
    print(await askGraphQL(opts.server, CHAINS_QUERY, variables));
  });

program
  .command('scorecard')
  .description("a vendor's hygiene scorecard for procurement: one score, every part with its measurement and evidence")
  .argument('<vendor>', 'the vendor, by any spelling of its name')
  .option('--json', 'print the GraphQL answer as JSON')
  .option('--as-of <date>', 'the day to score as of (default today)')
  .option('--server <url>', 'ask a running patchpath server instead of opening the database (e.g. http://localhost:4000; token in PATCHPATH_TOKEN)')
  .action(async (vendor: string, opts: { json?: boolean; asOf?: string; server?: string }) => {
    const variables = { vendor: { name: vendor }, asOf: opts.asOf ?? null };
    const print = (data: Record<string, unknown>) => process.stdout.write(`${opts.json ? JSON.stringify(data, null, 2) : formatScorecard(data)}\n`);
    print(await askGraphQL(opts.server, SCORECARD_QUERY, variables));
  });

program
  .command('record-scorecards')
  .description("record every vendor's scorecard for today now, replacing today's record (serve records each day by itself)")
  .option('--server <url>', 'ask a running patchpath server (admin token in PATCHPATH_TOKEN) instead of opening the database')
  .action(async (opts: { server?: string }) => {
    process.stdout.write(`${formatRecording(await askGraphQL(opts.server, RECORD_SCORECARDS_QUERY, {}))}\n`);
  });

const token = program.command('token').description('API tokens (shown once, kept only as a hash); GraphQL offers the same to admins');
token
  .command('create')
  .description('make a token for an organisation (created when new) with a role, and print it once')
  .requiredOption('--org <name>', 'the organisation the token speaks for')
  .addOption(new Option('--role <role>', 'what the token may do').choices([...ROLES]).makeOptionMandatory())
  .option('--name <label>', 'a label to tell tokens apart')
  .option('--days <n>', 'days until it expires (default PATCHPATH_TOKEN_DAYS or 90)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 3650) throw new InvalidArgumentError(`'${v}' is not a number of days from 1 to 3650`);
    return n;
  })
  .action(async (opts: { org: string; role: Role; name?: string; days?: number }) => {
    const config = loadConfig();
    const rt = await openRuntime(config, { logger: createLogger('warn', process.stderr) });
    try {
      const made = await createTokenFromCli(rt.db, { organisation: opts.org, role: opts.role, name: opts.name ?? '', days: opts.days ?? config.tokenDays, now: new Date() });
      process.stderr.write(`token ${made.record.id} for ${made.record.role} '${made.record.organisation.name}', expires ${made.record.expiresAt.toISOString()}; it is shown this once:\n`);
      process.stdout.write(`${made.token}\n`);
    } catch (e) {
      if (!(e instanceof AccessInputError)) throw e;
      process.stderr.write(`patchpath: ${e.message}\n`);
      process.exitCode = 2;
    } finally {
      await rt.close();
    }
  });
token
  .command('revoke')
  .description('revoke a token at once')
  .argument('<id>', 'the token id (token create and the apiTokens query show it)')
  .action(async (id: string) => {
    const rt = await openRuntime(loadConfig(), { logger: createLogger('warn', process.stderr) });
    try {
      const revoked = /^[1-9][0-9]{0,15}$/.test(id) ? await revokeTokenFromCli(rt.db, Number(id), new Date()) : undefined;
      if (!revoked) {
        process.stderr.write(`patchpath: '${id.slice(0, 40)}' names no API token\n`);
        process.exitCode = 2;
      } else process.stdout.write(`revoked token ${revoked.id} of ${revoked.role} '${revoked.organisation.name}'\n`);
    } finally {
      await rt.close();
    }
  });

program
  .command('migrate')
  .description('apply pending database migrations (also done on every start)')
  .action(async () => {
    const config = loadConfig();
    const rt = await openRuntime(config, { logger: createLogger('warn', process.stderr) });
    await rt.close();
    process.stdout.write(rt.applied.length ? `applied ${rt.applied.length} migrations: ${rt.applied.join(', ')}\n` : 'database is up to date\n');
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof ConfigError || e instanceof DataDirLockedError || e instanceof MigrationError || e instanceof ChainQueryError) {
    const command = process.argv.includes('chain') ? 'chain' : process.argv.includes('ingest') ? 'ingest' : process.argv.includes('advisories') ? 'advisories load' : process.argv.includes('inventory') ? 'inventory import' : process.argv.includes('token') ? 'token' : process.argv.includes('scorecard') ? 'scorecard' : undefined;
    const args = command === 'chain' ? 'PURL_OR_ID' : command === 'scorecard' ? 'VENDOR' : command === 'inventory import' ? '--operator NAME FILE' : 'FILE...';
    const hint =
      e instanceof DataDirLockedError && command === 'token' ? ' (beside a running server, an admin makes tokens with the createApiToken mutation)'
      : e instanceof DataDirLockedError && command ? ` (beside a running server: patchpath ${command} --server http://localhost:4000 ${args})`
      : '';
    process.stderr.write(`patchpath: ${e.message}${hint}\n`);
    process.exit(2);
  }
  throw e;
}
