// A throwaway nginx (Debian's, installed by scripts/setup.sh) in front of
// `vouch serve`, as docs/widget.md's nginx recipe mounts it: its own prefix,
// configuration, temporary files and logs in a temp dir, one free loopback
// port, one process that never becomes a daemon. Started by root (CI), it
// runs as `nobody`; it never touches /etc/nginx or /var/log/nginx.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './harness.mjs';

const NGINX = '/usr/sbin/nginx';

// The mount of docs/widget.md: PATH on the shop's origin is vouch serve's
// /v1/first-party/. dropSetCookie: the answer's Set-Cookie headers are
// dropped on the way, as Shopify's app proxy drops them.
function mountBlock({ path, dropSetCookie }, upstream) {
  return `
    location ${path}/ {
      proxy_pass ${upstream}/v1/first-party/;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;${dropSetCookie ? '\n      proxy_hide_header Set-Cookie;' : ''}
    }`;
}

function chownTree(path, uid, gid) {
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid);
}

// sites: [{host: 'shop.localhost', root: DIR, mounts: [{path: '/apps/vouch'}]}] (roots
// inside dir), upstream: vouch serve's base URL, port: free when not given.
// Resolves to {port, stop()} once nginx answers.
export async function startNginx(dir, sites, upstream, port) {
  const prefix = join(dir, 'nginx');
  mkdirSync(join(prefix, 'temp'), { recursive: true });
  port ??= await freePort();
  const servers = sites.map((site) => `
  server {
    listen 127.0.0.1:${port};
    server_name ${site.host};
    root ${site.root};
    ${(site.mounts || []).map((mount) => mountBlock(mount, upstream)).join('\n')}
  }`).join('\n');
  const temp = (name) => `${name}_temp_path ${join(prefix, 'temp', name)};`;
  writeFileSync(join(prefix, 'nginx.conf'), `
daemon off;
master_process off;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 128; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  types { text/html html; text/javascript js; }
  default_type application/octet-stream;
  ${servers}
}
`);
  const options = { stdio: ['ignore', 'ignore', 'inherit'] };
  if (userInfo().uid === 0) {
    Object.assign(options, { uid: 65534, gid: 65534 });   // nobody, nogroup
    chmodSync(dir, 0o755);
    for (const path of [prefix, ...sites.map((site) => site.root)]) chownTree(path, options.uid, options.gid);
  }
  const child = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], options);
  const exited = new Promise((done) => child.once('exit', done));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited with status ${child.exitCode} (see ${prefix}/error.log)`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return true;
    } catch (_) {
      return false;
    }
  }, 'nginx to listen', 10000);
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
