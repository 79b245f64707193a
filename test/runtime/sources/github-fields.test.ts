// github plugin behaviour the shared field cases leave out: the secret-scan and miner sections
// the plugin adds after its own analysis, fastjson's lookups and numbers, a payload that is not
// JSON, and evt.plugininfo.
import { describe, expect, it } from 'vitest';
import { GITHUB_SOURCE } from '../../../runtime/sources/github/source.ts';
import { utf8Bytes } from '../../../runtime/sources/json-doc.ts';
import { PluginExtractError } from '../../../runtime/sources/plugin-event.ts';
import type { Extracted } from '../../../runtime/operators/values.ts';
import { fieldExtractor, pluginEvent } from './plugin-fixture.ts';


const get = (field: string, record: unknown): Extracted => fieldExtractor('github', GITHUB_SOURCE.fields, field)(pluginEvent('github', record));

const push = {
  webhook_type: 'push',
  repository: { html_url: 'https://github.com/acme/api', private: false, owner: { login: 'acme' } },
  head_commit: { id: 'abc123' },
  files: [
    { name: 'config/aws.env', matches: [{ line: 3, type: 'aws_key', desc: 'AWS access key' }, { line: 9, type: 'aws_secret', desc: 'AWS secret key' }] },
    { name: 'README.md', matches: [] },
    { name: 'deploy/token.txt', matches: [{ line: 1, type: 'gh_token', desc: 'GitHub token' }] },
  ],
};

describe('github: the secret scan of a push', () => {
  it('reports secrets with their files, lines and links', () => {
    expect(get('github.diff.has_secrets', push)).toBe('true');
    // Per-file trailing comma trimming: files run together like commits do.
    expect(get('github.diff.committed_secrets.desc', push)).toBe('AWS access key,AWS secret keyGitHub token');
    expect(get('github.diff.committed_secrets.files', push)).toBe('config/aws.env,config/aws.envdeploy/token.txt');
    expect(get('github.diff.committed_secrets.lines', push)).toBe('3,91');
    expect(get('github.diff.committed_secrets.links', push)).toBe(
      'https://github.com/acme/api/blob/abc123/config/aws.env/#L3,https://github.com/acme/api/blob/abc123/config/aws.env/#L9https://github.com/acme/api/blob/abc123/deploy/token.txt/#L1',
    );
  });

  it('says false for a scan without matches', () => {
    const clean = { ...push, files: [{ name: 'a.txt', matches: [] }, { name: 'b.txt' }] };
    expect(get('github.diff.has_secrets', clean)).toBe('false');
    expect(get('github.diff.committed_secrets.desc', clean)).toBe('');
  });

  it('without a scan: has_secrets and links are "", desc/files/lines unset', () => {
    const { files: _files, ...unscanned } = push;
    expect(get('github.diff.has_secrets', unscanned)).toBe('');
    expect(get('github.diff.committed_secrets.links', unscanned)).toBe('');
    expect(get('github.diff.committed_secrets.desc', unscanned)).toBeUndefined();
    expect(get('github.diff.committed_secrets.files', unscanned)).toBeUndefined();
    expect(get('github.diff.committed_secrets.lines', unscanned)).toBeUndefined();
  });
});

describe('github: workflow miners', () => {
  const run = {
    webhook_type: 'workflow_run',
    action: 'requested',
    workflow: { path: '.github/workflows/ci.yml' },
    workflow_miner_detections: { matches: [{ type: 'xmrig', line: 4 }, { type: 'stratum', line: 9 }, { type: 'xmrig', line: 12 }] },
  };

  it('reports the distinct miner types and the workflow file', () => {
    expect(get('github.workflow.has_miners', run)).toBe('true');
    expect(get('github.workflow.miners.type', run)).toBe('xmrig,stratum');
    expect(get('github.workflow.filename', run)).toBe('.github/workflows/ci.yml');
  });

  it('false for an empty detection list; unset without one', () => {
    expect(get('github.workflow.has_miners', { ...run, workflow_miner_detections: { matches: [] } })).toBe('false');
    expect(get('github.workflow.has_miners', { webhook_type: 'push' })).toBeUndefined();
    expect(get('github.workflow.miners.type', { webhook_type: 'push' })).toBeUndefined();
    expect(get('github.workflow.filename', { webhook_type: 'push' })).toBe('');
  });
});

describe('github: lookups', () => {
  it('a repository is public unless private is literally true', () => {
    expect(get('github.repo.public', {})).toBe('true');
    expect(get('github.repo.public', { repository: { private: 'true' } })).toBe('true');
    expect(get('github.repo.public', { repository: { private: true } })).toBe('false');
  });

  it('webhook ids are uint64 digits, else 0', () => {
    expect(get('github.webhook.id', '{"hook":{"id":18446744073709551615}}')).toBe('18446744073709551615');
    expect(get('github.webhook.id', '{"hook":{"id":18446744073709551616}}')).toBe('0');
    expect(get('github.webhook.id', '{"hook":{"id":1.5}}')).toBe('0');
    expect(get('github.webhook.id', '{"hook":{"id":"12"}}')).toBe('0');
  });

  it('non-string members give "", repo.name keeps a URL off github.com whole', () => {
    expect(get('github.user', { sender: { login: 42 } })).toBe('');
    expect(get('github.repo.name', { repository: { html_url: 'https://ghe.example/acme/api' } })).toBe('https://ghe.example/acme/api');
    expect(get('github.org', { organization: [{ login: 'x' }] })).toBe('');
  });

  it('returns UTF-8 bytes', () => {
    expect(get('github.repo.description', { repository: { description: 'café' } })).toBe(utf8Bytes('café'));
  });

  it('fails every field on a payload that is not JSON; a non-object root gives defaults', () => {
    expect(() => get('github.type', 'E oops')).toThrow(PluginExtractError);
    expect(get('github.type', '[1,2]')).toBe('');
  });
});

describe('github: time and evt.plugininfo', () => {
  it('leaves the time to the reader', () => {
    expect(GITHUB_SOURCE.time).toBeUndefined();
  });

  it('shows the type, then user, repo and action when present', () => {
    const info = (r: unknown) => GITHUB_SOURCE.info!(pluginEvent('github', r));
    expect(info({ webhook_type: 'member', action: 'added', sender: { login: 'o' }, repository: { html_url: 'https://github.com/a/b' } })).toBe(
      'github member user:o repo:https://github.com/a/b action:added',
    );
    expect(info({ webhook_type: 'push', sender: { login: 'o' } })).toBe('github push user:o');
    expect(info({})).toBe('github ');
    expect(info('nope')).toBeUndefined();
  });
});
