// `falcoc build` and bundles on the host, run as users run them: summary and exit codes,
// signing and verification, refusing bundles of another ABI or changed after signing.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, repoRoot, sharedDir, upstreamSyscallFiles } from '../../paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'falcoc-build-'));
const capture = join(sharedDir, 'upstream/captures/curl_google.scap');

function falcoc(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, TZ: 'UTC', FALCO_HOSTNAME: 'vm' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function keyPair(name: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = join(dir, `${name}.pub.pem`);
  const priv = join(dir, `${name}.pem`);
  writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { pub, priv };
}

const rules = join(dir, 'rules.yaml');
writeFileSync(
  rules,
  `- rule: curl spawned
  desc: d
  condition: evt.type = execve and evt.dir = < and proc.name = curl
  output: curl ran (cmd=%proc.cmdline)
  priority: WARNING
- rule: curl connects
  desc: d
  condition: evt.type = connect and evt.dir = < and proc.name = curl and fd.typechar in (4, 6)
  output: curl connected (fd=%fd.name)
  priority: NOTICE
`,
);

describe('falcoc build', () => {
  test('builds the upstream syscall files and prints a summary', () => {
    const out = join(dir, 'upstream');
    const r = falcoc(['build', ...upstreamSyscallFiles, '--outdir', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rules: \d+ syscall rules \(81 enabled\)/);
    expect(r.stdout).toMatch(/bundle: .*rules\.bundle\.mjs \([\d.]+ KiB\), manifest: .*rules\.manifest\.json/);
    expect(r.stdout).toMatch(/time: load\+check \d+ ms, plan \d+ ms, emit\+bundle \d+ ms/);
    const m = JSON.parse(readFileSync(join(out, 'rules.manifest.json'), 'utf8'));
    expect(m).toMatchObject({ format: 'falcoc-bundle-manifest/1', abi: 3, bundle: 'rules.bundle.mjs', source: 'syscall' });
    expect(m.ruleset_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(m.event_types).toContain('openat');
    expect(m.kernel_event_types).toEqual(expect.arrayContaining(['clone', 'execve', 'close', 'openat']));
    expect(m.fields).toContain('proc.name');
    expect(m.rules.find((x: { name: string }) => x.name === 'Read sensitive file untrusted')).toMatchObject({
      priority: 'Warning', enabled: true, file: 'falco_rules.yaml', event_types: expect.arrayContaining(['openat']),
    });
    expect(JSON.stringify(m)).not.toContain(sharedDir);
  });

  test('rules with errors: exit 1, diagnostics, nothing written', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, '- rule: r\n  desc: d\n  condition: proc.nme = x\n  output: o\n  priority: WARNING\n');
    const out = join(dir, 'bad-out');
    const r = falcoc(['build', bad, '--outdir', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:3:14: error LOAD_ERR_COMPILE_CONDITION`);
    expect(r.stderr).toContain('build failed');
    expect(existsSync(out)).toBe(false);
  });

  test('replay --bundle gives the alerts replay -r gives', () => {
    const out = join(dir, 'small');
    expect(falcoc(['build', rules, '--outdir', out]).code).toBe(0);
    const interpreted = falcoc(['replay', capture, '-r', rules, '--json']);
    const compiled = falcoc(['replay', capture, '--bundle', out, '--json']);
    expect(compiled.code).toBe(0);
    expect(compiled.stdout).toBe(interpreted.stdout);
    const rulesHit = compiled.stdout.trim().split('\n').map((l) => JSON.parse(l).rule);
    expect(new Set(rulesHit)).toEqual(new Set(['curl spawned', 'curl connects']));
    // The bundle file alone works too (its manifest beside it is found).
    expect(falcoc(['replay', capture, '--bundle', join(out, 'rules.bundle.mjs'), '--json']).stdout).toBe(interpreted.stdout);
    expect(falcoc(['replay', capture]).code).toBe(2);
  });
});

describe('signed bundles', () => {
  const good = keyPair('good');
  const other = keyPair('other');
  const out = join(dir, 'signed');

  test('a signed bundle verifies with its key and is refused with another', () => {
    const b = falcoc(['build', rules, '--outdir', out, '--sign', good.priv]);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('(signed)');
    expect(falcoc(['replay', capture, '--bundle', out, '--verify-key', good.pub]).code).toBe(0);
    const r = falcoc(['replay', capture, '--bundle', out, '--verify-key', other.pub]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad signature/);
  });

  test('a bundle changed after signing is refused before it runs', () => {
    const copy = join(dir, 'tampered');
    cpSync(out, copy, { recursive: true });
    const marker = join(dir, 'injected-ran');
    appendFileSync(join(copy, 'rules.bundle.mjs'), `\nimport { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'x');\n`);
    const r = falcoc(['replay', capture, '--bundle', copy, '--verify-key', good.pub]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not match the signed manifest/);
    expect(existsSync(marker)).toBe(false);
  });

  test('an unsigned bundle is refused when a key is required', () => {
    const r = falcoc(['replay', capture, '--bundle', join(dir, 'small'), '--verify-key', good.pub]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not signed/);
  });

  test('a bundle for another runtime ABI is refused with what to do', () => {
    const copy = join(dir, 'other-abi');
    cpSync(join(dir, 'small'), copy, { recursive: true });
    const mf = join(copy, 'rules.manifest.json');
    const manifest = readFileSync(mf, 'utf8');
    expect(manifest).toContain('"abi": 3');
    writeFileSync(mf, manifest.replace('"abi": 3', '"abi": 99'));
    const r = falcoc(['replay', capture, '--bundle', copy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/built for runtime ABI 99, this runtime speaks ABI 3: rebuild it/);
    // A bundle of the previous ABI (syscall rules only, no per-source evaluators), for a plugin source too.
    writeFileSync(mf, manifest.replace('"abi": 3', '"abi": 2'));
    const old = falcoc(['replay', '--source', 'k8s_audit', join(repoRoot, 'test/fixtures/plugin-events/k8s_audit'), '--bundle', copy]);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/built for runtime ABI 2, this runtime speaks ABI 3: rebuild it/);
  });
});
