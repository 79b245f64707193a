// okta plugin behaviour the shared field cases leave out: how the plugin's Go decode reads the
// event (a wrong JSON type fails every field, case-insensitive and repeated members, null),
// numbers, request paths, targets, the MFA counters, the event time and evt.plugininfo.
import { beforeEach, describe, expect, it } from 'vitest';
import { OKTA_SOURCE } from '../../../runtime/sources/okta/source.ts';
import { parseRfc3339Nano as parseRfc3339 } from '../../../runtime/sources/rfc3339.ts';
import { goFloat } from '../../../runtime/sources/okta/fields.ts';
import { MFA_WINDOW } from '../../../runtime/sources/okta/mfa-window.ts';
import { parseJson, utf8Bytes } from '../../../runtime/sources/json-doc.ts';
import { PluginExtractError, type PluginEvent } from '../../../runtime/sources/plugin-event.ts';
import type { Extracted } from '../../../runtime/operators/values.ts';
import { fieldExtractor, pluginEvent } from './plugin-fixture.ts';

const eventOf = (record: unknown, num = 1, ts = 0n): PluginEvent => pluginEvent('okta', record, { num, ts });

const extractor = (field: string, arg?: string) => fieldExtractor('okta', OKTA_SOURCE.fields, field, arg);

const get = (field: string, record: unknown, arg?: string): Extracted => extractor(field, arg)(eventOf(record));

const base = {
  eventType: 'user.session.start',
  published: '2024-04-22T06:31:08.712Z',
  actor: { id: '00u1', type: 'User', alternateId: 'jane@example.com', displayName: 'Jane' },
  outcome: { result: 'SUCCESS', reason: null },
  securityContext: { asNumber: 16276, isp: 'ovh sas', isProxy: null },
  authenticationContext: { authenticationStep: 2, authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER', credentialProvider: 'OKTA_CREDENTIAL_PROVIDER' },
  debugContext: { debugData: { requestUri: '/app/salesforce/exk1/sso/saml', logOnlySecurityData: '{"risk":{"level":"LOW"}}' } },
};

describe('okta: the Go decode', () => {
  it('fails every field when a member has the wrong JSON type (a real boolean isProxy)', () => {
    const bad = { ...base, securityContext: { ...base.securityContext, isProxy: false } };
    for (const f of ['okta.evt.type', 'okta.actor.name', 'okta.security.asnumber', 'okta.targets.displayName'])
      expect(() => get(f, bad), f).toThrow(PluginExtractError);
  });

  it('fails on a fraction or a string in an int member, and on a non-JSON payload', () => {
    expect(() => get('okta.evt.type', { ...base, securityContext: { asNumber: 1.5 } })).toThrow(PluginExtractError);
    expect(() => get('okta.evt.type', { ...base, authenticationContext: { authenticationStep: '2' } })).toThrow(PluginExtractError);
    expect(() => get('okta.evt.type', { ...base, target: {} })).toThrow(PluginExtractError);
    expect(() => get('okta.evt.type', 'not json')).toThrow(PluginExtractError);
    expect(() => get('okta.evt.type', '[1]')).toThrow(PluginExtractError);
  });

  it('ignores members outside the struct, whatever their type', () => {
    expect(get('okta.evt.type', { ...base, device: { id: 5 }, request: [1, true] })).toBe('user.session.start');
  });

  it('matches member names case-insensitively (exact first), the last match winning', () => {
    expect(get('okta.evt.type', { EVENTTYPE: 'a.b' })).toBe('a.b');
    expect(get('okta.evt.type', '{"eventType":"first","eventtype":"second"}')).toBe('second');
    // Repeated objects merge member by member.
    expect(get('okta.actor.name', '{"actor":{"displayName":"A","id":"1"},"actor":{"id":"2"}}')).toBe('A');
  });

  it('gives "" for missing or null strings, and zero values for a null document', () => {
    expect(get('okta.reason', base)).toBe('');
    expect(get('okta.evt.legacytype', base)).toBe('');
    expect(get('okta.evt.type', 'null')).toBe('');
    expect(get('okta.security.asnumber', 'null')).toBe(0n);
  });

  it('reads the newer members', () => {
    expect(get('okta.logonlysecuritydata', base)).toBe('{"risk":{"level":"LOW"}}');
    expect(get('okta.authentication.provider', base)).toBe('OKTA_AUTHENTICATION_PROVIDER');
    expect(get('okta.authentication.credentialprovider', base)).toBe('OKTA_CREDENTIAL_PROVIDER');
    expect(get('okta.security.isproxy', { securityContext: { isProxy: 'true' } })).toBe('true');
    expect(get('okta.security.isproxy', base)).toBe('');
  });

  it('returns UTF-8 bytes', () => {
    expect(get('okta.actor.name', { actor: { displayName: 'Zoë' } })).toBe(utf8Bytes('Zoë'));
  });
});

describe('okta: numbers', () => {
  it('security.asnumber is a uint64, authentication.step decimal text', () => {
    expect(get('okta.security.asnumber', base)).toBe(16276n);
    expect(get('okta.security.asnumber', { securityContext: { asNumber: -1 } })).toBe(18446744073709551615n);
    expect(get('okta.authentication.step', base)).toBe('2');
    expect(get('okta.authentication.step', {})).toBe('0');
  });

  it('prints latitude as Go %v does, and longitude from the lonDe member', () => {
    const geo = (g: unknown) => ({ client: { geographicalContext: { geolocation: g } } });
    expect(get('okta.client.geo.lat', geo({ lat: 45.7578 }))).toBe('45.7578');
    expect(get('okta.client.geo.lat', geo({ lat: -33 }))).toBe('-33');
    expect(get('okta.client.geo.lon', geo({ lon: 4.832 }))).toBe('0');
    expect(get('okta.client.geo.lon', geo({ lonDe: 4.832 }))).toBe('4.832');
    expect(goFloat(0.00001)).toBe('1e-05');
    expect(goFloat(0.0001)).toBe('0.0001');
    expect(goFloat(123456)).toBe('123456');
    expect(goFloat(1234567)).toBe('1.234567e+06');
    expect(goFloat(1e21)).toBe('1e+21');
    expect(goFloat(-0)).toBe('-0');
    expect(goFloat(0.1 + 0.2)).toBe('0.30000000000000004');
  });
});

describe('okta: request path and targets', () => {
  it('okta.app is the path component after /app/, else unset', () => {
    expect(get('okta.app', base)).toBe('salesforce');
    expect(get('okta.app', { debugContext: { debugData: { requestUri: '/app/' } } })).toBe('');
    expect(get('okta.app', { debugContext: { debugData: { requestUri: '/api/v1' } } })).toBeUndefined();
  });

  const targets = {
    target: [
      { id: 'u1', type: 'User', displayName: 'One' },
      { id: 'a1', type: 'AppInstance', alternateId: 'app-one', displayName: 'App' },
      { id: 'u2', type: 'User', displayName: 'Two' },
    ],
  };

  it('okta.target.* take the last target of their type', () => {
    expect(get('okta.target.user.id', targets)).toBe('u2');
    expect(get('okta.target.user.alternateid', targets)).toBe('');
    expect(get('okta.target.app.alternateid', targets)).toBe('app-one');
    expect(get('okta.target.group.id', targets)).toBeUndefined();
  });

  it('okta.targets.displayName lists every target, or picks one by index', () => {
    expect(get('okta.targets.displayName', targets)).toBe('(One,App,Two)');
    expect(get('okta.targets.displayName', targets, '2')).toBe('Two');
    expect(get('okta.targets.displayName', targets, '3')).toBeUndefined();
    expect(get('okta.targets.displayName', { target: null })).toBe('()');
  });
});

describe('okta: MFA counters', () => {
  beforeEach(() => MFA_WINDOW.reset());
  const S = 1_000_000_000n;
  const deny = { eventType: 'user.mfa.okta_verify.deny_push', actor: { id: 'u1' } };
  const fail = { eventType: 'user.authentication.auth_via_mfa', actor: { id: 'u1' }, outcome: { result: 'FAILURE' } };

  it('counts the events of the same type and actor within the window', () => {
    const count = extractor('okta.mfa.deny.countlast', '300');
    expect(count(eventOf(deny, 1, 1000n * S))).toBe(1n);
    expect(count(eventOf(deny, 2, 1100n * S))).toBe(2n);
    // Another actor has its own list; other events get no value but keep the stream going.
    expect(count(eventOf({ ...deny, actor: { id: 'u2' } }, 3, 1150n * S))).toBe(1n);
    expect(count(eventOf(base, 4, 1200n * S))).toBeUndefined();
    expect(count(eventOf(deny, 5, 1350n * S))).toBe(2n);
    expect(extractor('okta.mfa.deny.countlast', '10')(eventOf(deny, 6, 1355n * S))).toBe(2n);
  });

  it('records MFA failures apart from denies; both fields count the event’s own kind', () => {
    const failures = extractor('okta.mfa.failure.countlast', '60');
    expect(failures(eventOf(fail, 1, 1010n * S))).toBe(1n);
    expect(failures(eventOf(fail, 2, 1020n * S))).toBe(2n);
    expect(failures(eventOf(deny, 3, 1030n * S))).toBe(1n);
    expect(failures(eventOf({ ...fail, outcome: { result: 'SUCCESS' } }, 4, 1040n * S))).toBeUndefined();
  });

  it('computes the window start in uint64: a window reaching before the epoch counts nothing', () => {
    expect(extractor('okta.mfa.deny.countlast', '60')(eventOf(deny, 1, 10n * S))).toBe(0n);
  });

  it('records each event once, however many fields read it, and restarts with a new stream', () => {
    const ev = eventOf(deny, 1, 1005n * S);
    extractor('okta.evt.type')(ev);
    expect(extractor('okta.mfa.deny.countlast', '60')(ev)).toBe(1n);
    expect(extractor('okta.mfa.failure.countlast', '60')(ev)).toBe(1n);
    expect(extractor('okta.mfa.deny.countlast', '60')(eventOf(deny, 1, 1006n * S))).toBe(1n);
  });
});

describe('okta: time and evt.plugininfo', () => {
  it('times an event by its published member', () => {
    expect(OKTA_SOURCE.time!(parseJson(JSON.stringify(base)))).toBe(1713767468712000000n);
    expect(OKTA_SOURCE.time!(parseJson('{"published":"2024-04-22T08:31:08.5+02:00"}'))).toBe(1713767468500000000n);
    expect(OKTA_SOURCE.time!(parseJson('{"published":"yesterday"}'))).toBeUndefined();
    expect(OKTA_SOURCE.time!(parseJson('{"published":7}'))).toBeUndefined();
  });

  it('parses RFC 3339 as Go does', () => {
    expect(parseRfc3339('1970-01-01T00:00:00Z')).toBe(0n);
    expect(parseRfc3339('1970-01-01T00:00:01.123456789123Z')).toBe(1_123_456_789n);
    expect(parseRfc3339('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('2024-02-29T00:00:00Z')).toBe(1709164800000000000n);
    expect(parseRfc3339('2024-02-29 00:00:00Z')).toBeUndefined();
  });

  it('shows the payload as evt.plugininfo', () => {
    const ev = eventOf(base);
    expect(OKTA_SOURCE.info!(ev)).toBe(ev.text);
  });
});
