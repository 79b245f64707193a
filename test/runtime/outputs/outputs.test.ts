// file_output and program_output as falco.yaml configures them: real files, real programs.
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaySession } from '../../../runtime/engine/replay-session.ts';
import { loadEngineConfig } from '../../../runtime/config/engine-config.ts';
import { FileOutput } from '../../../runtime/outputs/file-output.ts';
import { ProgramOutput } from '../../../runtime/outputs/program-output.ts';
import { sharedDir, upstreamSyscallFiles } from '../../paths.ts';

process.env.FALCO_HOSTNAME = 'vm';
const capture = join(sharedDir, 'oracle', 'mixed.scap.gz');
const dir = mkdtempSync(join(tmpdir(), 'falcoc-outputs-'));

async function replay(overrides: string[]): Promise<{ stdout: string; logs: string[] }> {
  let stdout = '';
  const logs: string[] = [];
  const r = await replaySession({ capture, rules: upstreamSyscallFiles, overrides, write: (s) => void (stdout += s), log: (l) => void logs.push(l) });
  expect(r.exitCode).toBe(0);
  return { stdout, logs };
}

describe('outputs', () => {
  it('file_output and program_output (keep_alive or not) get every alert, in order, exactly as stdout does', async () => {
    const { stdout: expected } = await replay([]);
    expect(expected.split('\n').filter(Boolean)).toHaveLength(131);
    const file = join(dir, 'events.txt');
    const piped = join(dir, 'piped.txt');
    const each = join(dir, 'each.txt');
    const { stdout } = await replay([
      'stdout_output.enabled=false',
      'file_output.enabled=true', `file_output.filename=${file}`,
      'program_output.enabled=true', 'program_output.keep_alive=true', `program_output.program=cat >> ${piped}`,
    ]);
    expect(stdout).toBe(''); // stdout_output disabled
    expect(readFileSync(file, 'utf8')).toBe(expected);
    expect(readFileSync(piped, 'utf8')).toBe(expected);
    // Without keep_alive a program per alert, one after the other.
    await replay(['stdout_output.enabled=false', 'program_output.enabled=true', `program_output.program=cat >> ${each}`]);
    expect(readFileSync(each, 'utf8')).toBe(expected);
  }, 60_000);

  it('file_output with keep_alive reopens after SIGHUP, so rotation loses nothing', async () => {
    const file = join(dir, 'rotated.txt');
    const out = new FileOutput(file, true, () => {});
    out.alert('one\n');
    renameSync(file, `${file}.1`); // logrotate moves the file; the output still holds it
    out.alert('two\n');
    out.reopen(); // SIGHUP
    out.alert('three\n');
    await out.close();
    expect(readFileSync(`${file}.1`, 'utf8')).toBe('one\ntwo\n');
    expect(readFileSync(file, 'utf8')).toBe('three\n');
    expect(out.stats).toEqual({ sent: 3, failed: 0 });
  });

  it('counts alerts an output cannot deliver, says so once, and the others still get them', async () => {
    const logs: string[] = [];
    const out = new FileOutput(join(dir, 'no/such/dir/x.txt'), false, (l) => logs.push(l));
    out.alert('a\n');
    out.alert('b\n');
    expect(out.stats).toEqual({ sent: 0, failed: 2 });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/file_output: cannot write .*no\/such\/dir\/x\.txt/);
    const prog = new ProgramOutput('exit 0', true, (l) => logs.push(l)); // reads nothing: its stdin closes
    for (let i = 0; i < 3; i++) prog.alert('x\n');
    await prog.close(); // no crash on the closed pipe, and close() returns
    expect(prog.stats.sent).toBe(3);
    const { stdout, logs: replayLogs } = await replay(['file_output.enabled=true', `file_output.filename=${join(dir, 'no/such/y.txt')}`]);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(131); // stdout unaffected
    expect(replayLogs.some((l) => /file_output: cannot write/.test(l))).toBe(true);
  }, 60_000);

  it('refuses an enabled output without its destination, naming the key', () => {
    expect(() => loadEngineConfig({ overrides: ['file_output.enabled=true', 'file_output.filename='] })).toThrow(/file_output\.filename must name a file/);
    expect(() => loadEngineConfig({ overrides: ['program_output.enabled=true', 'program_output.program='] })).toThrow(/program_output\.program must be a command/);
    expect(() => loadEngineConfig({ overrides: ['file_output.keep_alive=sometimes'] })).toThrow(/file_output\.keep_alive/);
    const c = join(dir, 'falco.yaml');
    writeFileSync(c, 'stdout_output:\n  enabled: false\nfile_output:\n  enabled: true\n  keep_alive: true\n  filename: /tmp/x.txt\n');
    expect(loadEngineConfig({ file: c }).config.outputs).toEqual({ stdout: false, queueCapacity: 0, file: { filename: '/tmp/x.txt', keepAlive: true }, syslog: { facility: 'user', socket: '/dev/log' } });
    expect(() => loadEngineConfig({ overrides: ['http_output.enabled=true', 'http_output.url=localhost:80'] })).toThrow(/http_output\.url must be an http:\/\/ or https:\/\/ URL/);
    expect(() => loadEngineConfig({ overrides: ['outputs_queue.capacity=-1'] })).toThrow(/outputs_queue\.capacity/);
  });
});
