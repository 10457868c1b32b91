// docs/server.md's "Deployment" run as written, on loopback: its SQL makes
// the role and database, two instances start from the systemd unit's
// ExecStart line with its EnvironmentFile (no systemd here: this test runs
// the line as systemd would, for %i = 81 and 82, on free ports), `nginx -t`
// checks its nginx configuration (a self-signed certificate in place of the
// real one), requests go through nginx over TLS, and pg_dump backs it up.
// Needs PostgreSQL (VOUCH_TEST_PG) and nginx (scripts/setup.sh).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { request } from 'node:https';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, PG, ADMIN_TOKEN, workspace, webTree, documentsReady } from './harness.mjs';

const NGINX = '/usr/sbin/nginx';
const skip = !PG ? 'needs PostgreSQL (VOUCH_TEST_PG)' : !existsSync(NGINX) ? 'needs nginx (scripts/setup.sh)' : false;
const docs = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/server.md'), 'utf8');
const section = docs.slice(docs.indexOf('## Deployment'), docs.indexOf('## Benchmark'));
// The fenced blocks of the section, in order: [language, text].
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]);
const children = [];
let ws;

after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  ws?.cleanup();
});

const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

function chownTree(path, id) {
  chownSync(path, id, id);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), id);
}

// GET or POST through nginx over TLS (the certificate is self-signed).
function viaProxy(port, path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: 'reviews.example.com', ...headers }, rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Starts ExecStart as systemd would: the environment file's variables, %i.
function execStart(line, env, instance) {
  const [program, ...args] = line.split(/\s+/);
  const child = spawn(program, args.map((a) => a.replaceAll('%i', instance)), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance ${instance} did not start:\n${err}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ base: m[1], banner: () => out }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`instance ${instance} exited ${code}:\n${err}`)); });
  });
}

test('the deployment section runs as written: two instances on PostgreSQL behind nginx over TLS', { skip }, async () => {
  ws = workspace();
  const [sql, envFile, unit, nginxSite, backup] = [
    blocks.find(([lang, text]) => lang === 'sh' && text.includes('CREATE ROLE'))[1],
    blocks.find(([lang, text]) => lang === 'sh' && text.startsWith('VOUCH_DB='))[1],
    blocks.find(([lang]) => lang === 'ini')[1],
    blocks.find(([lang]) => lang === 'nginx')[1],
    /`(pg_dump [^`]+)`/.exec(section)[1],
  ];
  // 1. The role and the database, by the section's SQL (names made unique to this run).
  const suffix = `_${process.pid}`;
  for (const statement of [...sql.matchAll(/psql -c "([^"]+)"/g)].map((m) => m[1])) {
    execFileSync('psql', [PG, '-q', '-v', 'ON_ERROR_STOP=1', '-c', statement.replace(/\bvouch\b/g, `vouch${suffix}`)]);
  }
  ws.databases.push(`vouch${suffix}`);
  // 2. The environment file, pointed at this cluster.
  const cluster = new URL(PG);
  const env = Object.fromEntries(envFile.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
  env.VOUCH_DB = env.VOUCH_DB.replace('127.0.0.1:5432', cluster.host).replace(/\/vouch$/, `/vouch${suffix}`)
    .replace('vouch:', `vouch${suffix}:`);
  assert.match(env.VOUCH_DB, /^postgres:\/\/vouch_\d+:CHANGE-ME@127\.0\.0\.1:\d+\/vouch_\d+$/);
  const tokenFile = join(ws.dir, 'admin-token');
  writeFileSync(tokenFile, `${ADMIN_TOKEN}\n`);
  // 3. The two instances from the unit's ExecStart line.
  const ports = { 81: await freePort(), 82: await freePort() };
  const line = /^ExecStart=(.*)$/m.exec(unit)[1]
    .replace('/usr/local/bin/vouch', BIN).replace('/srv/vouch/feed.json', ws.feed).replace('/srv/vouch/web', webTree(ws.dir))
    .replace('/etc/vouch/admin-token', tokenFile);
  assert.match(/^EnvironmentFile=(.*)$/m.exec(unit)[1], /^\/etc\/vouch\/env$/);
  const instances = [];
  for (const i of ['81', '82']) instances.push(await execStart(line.replace('--port 80%i', `--port ${ports[i]}`), env, i));
  for (const instance of instances) {
    await documentsReady(instance.base);
    assert.match(instance.banner(), /database: {7}postgres:\/\/vouch_\d+:\*\*\*@/, 'the password is not printed');
  }
  // 4. nginx with the section's configuration, on a free port and a self-signed certificate.
  const prefix = join(ws.dir, 'nginx');
  mkdirSync(join(prefix, 'temp'), { recursive: true });
  const [cert, key] = [join(prefix, 'fullchain.pem'), join(prefix, 'privkey.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=reviews.example.com',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const port = await freePort();
  const site = nginxSite
    .replace('127.0.0.1:8081', `127.0.0.1:${ports[81]}`).replace('127.0.0.1:8082', `127.0.0.1:${ports[82]}`)
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`)
    .replace('/etc/letsencrypt/live/reviews.example.com/fullchain.pem', cert)
    .replace('/etc/letsencrypt/live/reviews.example.com/privkey.pem', key);
  const temp = (name) => `${name}_temp_path ${join(prefix, 'temp', name)};`;
  writeFileSync(join(prefix, 'nginx.conf'), `daemon off;\nmaster_process off;\npid ${join(prefix, 'nginx.pid')};\n` +
    `error_log ${join(prefix, 'error.log')} warn;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n  ` +
    `${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}\n${site}\n}\n`);
  const options = { stdio: ['ignore', 'pipe', 'pipe'] };
  if (userInfo().uid === 0) {
    Object.assign(options, { uid: 65534, gid: 65534 });   // nobody: nginx never runs as root here
    chmodSync(ws.dir, 0o755);
    chownTree(prefix, 65534);
  }
  const nginxArgs = ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')];
  const checked = spawnSync(NGINX, ['-t', ...nginxArgs], { ...options, encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stderr);
  assert.match(checked.stderr, /syntax is ok/);
  const nginx = spawn(NGINX, nginxArgs, options);
  children.push(nginx);
  let health;
  for (let n = 0; n < 100 && health?.status !== 200; ++n) {
    health = await viaProxy(port, '/v1/health').catch(() => null);
    if (health?.status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(health.status, 200);
  // Through the proxy: events from a client that forges X-Forwarded-For, the
  // documents (both instances: the same ETag), the dashboard API with the token.
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const events = Array.from({ length: 10 }, (_, i) => ({ id: `dep-${i}`, type: 'click', at: now, visitor: 'v-dep', placement: 'social-proof', target: '/p/sku-1' }));
  for (let i = 0; i < 4; ++i) {
    const posted = await viaProxy(port, '/v1/events', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
      body: JSON.stringify({ events: events.slice(i * 2, i * 2 + 3) }) });
    assert.equal(posted.status, 200, posted.body);
  }
  const etags = new Set();
  for (let i = 0; i < 4; ++i) etags.add((await viaProxy(port, '/v1/products/sku-1.json')).headers.etag);
  assert.equal(etags.size, 1);
  const totals = await Promise.all(instances.map(async (instance) =>
    (await (await fetch(`${instance.base}/v1/admin/events/summary`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()).events.total));
  assert.deepEqual(totals, [9, 9], 'both instances see the 9 distinct events, whichever stored them');
  const viaNginx = await viaProxy(port, '/v1/admin/events/summary', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(JSON.parse(viaNginx.body).events.total, 9);
  // 5. The backup command.
  const dump = join(ws.dir, 'vouch.dump');
  const command = backup.replace('--file=vouch-$(date +%F).dump', `--file=${dump}`).replace('"$VOUCH_DB"', env.VOUCH_DB);
  const [program, ...args] = command.split(/\s+/);
  execFileSync(program, args);
  assert.ok(statSync(dump).size > 1000);
  nginx.kill('SIGTERM');
});
