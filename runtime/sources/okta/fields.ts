// okta plugin fields (okta.*), read from the event as the okta plugin decodes it (log-event.ts):
// string fields always have a value ("" when the member is missing or null), except those that
// pick a target or a request path, which set nothing when there is none. When the decode fails
// (a member of the wrong JSON type, or a payload that is not JSON), every okta field of the
// event fails (PluginExtractError), as the plugin's Extract returns the decode error.
import type { FieldRef } from '../../extract/context.ts';
import type { Extracted } from '../../operators/values.ts';
import { utf8Bytes } from '../json-doc.ts';
import { PluginExtractError, type PluginEvent, type PluginFieldFactory } from '../plugin-event.ts';
import { decodeLogEvent, OktaDecodeError, type LogEvent } from './log-event.ts';
import { isMfaTrouble, MFA_WINDOW, mfaKey } from './mfa-window.ts';

/** The per-event decode, kept in the event's memo. */
class OktaMemo {
  constructor(
    readonly event: LogEvent | undefined,
    readonly error: string | undefined,
  ) {}
}

function logEvent(ev: PluginEvent): LogEvent {
  let memo = ev.memo;
  if (!(memo instanceof OktaMemo)) {
    try {
      const e = decodeLogEvent(ev.doc);
      MFA_WINDOW.observe(ev.num, ev.ts, e);
      memo = new OktaMemo(e, undefined);
    } catch (err) {
      if (!(err instanceof OktaDecodeError)) throw err;
      memo = new OktaMemo(undefined, err.message);
    }
    ev.memo = memo;
  }
  const m = memo as OktaMemo;
  if (m.event === undefined) throw new PluginExtractError(m.error);
  return m.event;
}

type Read = (e: LogEvent, ev: PluginEvent) => Extracted;

const field =
  (read: Read): PluginFieldFactory =>
  () =>
  (ev) =>
    read(logEvent(ev), ev);

const text = (get: (e: LogEvent) => string): PluginFieldFactory => field((e) => utf8Bytes(get(e)));

/** The given member of the last target of that type (the plugin sets it for each match in turn). */
const target = (type: string, get: (t: NonNullable<LogEvent['target']>[number]) => string): PluginFieldFactory =>
  field((e) => {
    let v: string | undefined;
    for (const t of e.target ?? []) if (t.type === type) v = get(t);
    return v === undefined ? undefined : utf8Bytes(v);
  });

/** Go's fmt %v of a float64: shortest digits, exponent form below 1e-4 and from 1e+06 on. */
export function goFloat(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const sign = n < 0 ? '-' : '';
  const [mant, expText] = Math.abs(n).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${sign}${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return sign + int + (frac ? '.' + frac : '');
}

/** The [N] of countlast: seconds, uint64. */
function seconds(ref: FieldRef): bigint {
  if (ref.arg !== undefined && /^\d+$/.test(ref.arg)) return BigInt(ref.arg) & ((1n << 64n) - 1n);
  return BigInt(ref.argIndex ?? 0);
}

const countLast: PluginFieldFactory = (ref) => {
  const secs = seconds(ref);
  // Both countlast fields count the current event's own key: on a deny_push event
  // okta.mfa.failure.countlast counts denies too (upstream shares the code).
  return (ev) => {
    const e = logEvent(ev);
    return isMfaTrouble(e) ? MFA_WINDOW.countLast(mfaKey(e), ev.ts, secs) : undefined;
  };
};

export const OKTA_FIELDS: Readonly<Record<string, PluginFieldFactory>> = {
  // The path component after `/app/` of the request URI; nothing when it does not start so.
  'okta.app': field((e) => {
    const uri = e.debugContext.debugData.requestUri;
    return uri.startsWith('/app/') ? utf8Bytes(uri.split('/')[2]!) : undefined;
  }),
  'okta.behaviors': text((e) => e.debugContext.debugData.behaviors),
  // The plugin's `organization` setting, which falcoc does not have: always "".
  'okta.org': text(() => ''),
  'okta.evt.type': text((e) => e.eventType),
  'okta.evt.legacytype': text((e) => e.legacyEventType),
  'okta.severity': text((e) => e.severity),
  'okta.message': text((e) => e.displayMessage),
  'okta.published': text((e) => e.published),
  'okta.logonlysecuritydata': text((e) => e.debugContext.debugData.logOnlySecurityData),
  'okta.actor.id': text((e) => e.actor.id),
  'okta.actor.Type': text((e) => e.actor.type),
  'okta.actor.alternateid': text((e) => e.actor.alternateId),
  'okta.actor.name': text((e) => e.actor.displayName),
  'okta.client.zone': text((e) => e.client.zone),
  'okta.client.ip': text((e) => e.client.ipAddress),
  'okta.client.device': text((e) => e.client.device),
  'okta.client.id': text((e) => e.client.id),
  'okta.client.geo.city': text((e) => e.client.geographicalContext.city),
  'okta.client.geo.state': text((e) => e.client.geographicalContext.state),
  'okta.client.geo.country': text((e) => e.client.geographicalContext.country),
  'okta.client.geo.postalcode': text((e) => e.client.geographicalContext.postalCode),
  'okta.client.geo.lat': text((e) => goFloat(e.client.geographicalContext.geolocation.lat)),
  'okta.client.geo.lon': text((e) => goFloat(e.client.geographicalContext.geolocation.lonDe)),
  'okta.useragent.os': text((e) => e.client.userAgent.os),
  'okta.useragent.browser': text((e) => e.client.userAgent.browser),
  'okta.useragent.raw': text((e) => e.client.userAgent.rawUserAgent),
  'okta.result': text((e) => e.outcome.result),
  'okta.reason': text((e) => e.outcome.reason),
  'okta.transaction.id': text((e) => e.transaction.id),
  'okta.transaction.type': text((e) => e.transaction.type),
  'okta.requesturi': text((e) => e.debugContext.debugData.requestUri),
  'okta.principal.id': text((e) => e.debugContext.debugData.originalPrincipal.id),
  'okta.principal.alternateid': text((e) => e.debugContext.debugData.originalPrincipal.alternateId),
  'okta.principal.type': text((e) => e.debugContext.debugData.originalPrincipal.type),
  'okta.principal.name': text((e) => e.debugContext.debugData.originalPrincipal.displayName),
  // An int in the struct, handed over as decimal text (the field is a string).
  'okta.authentication.step': text((e) => e.authenticationContext.authenticationStep.toString()),
  'okta.authentication.sessionid': text((e) => e.authenticationContext.externalSessionId),
  'okta.authentication.provider': text((e) => e.authenticationContext.authenticationProvider),
  'okta.authentication.credentialprovider': text((e) => e.authenticationContext.credentialProvider),
  // An int in the struct, a uint64 field: a negative number wraps as Go's conversion does.
  'okta.security.asnumber': field((e) => BigInt.asUintN(64, e.securityContext.asNumber)),
  'okta.security.asorg': text((e) => e.securityContext.asOrg),
  'okta.security.isp': text((e) => e.securityContext.isp),
  'okta.security.domain': text((e) => e.securityContext.domain),
  'okta.security.isproxy': text((e) => e.securityContext.isProxy),
  'okta.target.user.id': target('User', (t) => t.id),
  'okta.target.user.alternateid': target('User', (t) => t.alternateId),
  'okta.target.user.name': target('User', (t) => t.displayName),
  'okta.target.group.id': target('UserGroup', (t) => t.id),
  'okta.target.group.alternateid': target('UserGroup', (t) => t.alternateId),
  'okta.target.group.name': target('UserGroup', (t) => t.displayName),
  'okta.target.app.alternateid': target('AppInstance', (t) => t.alternateId),
  // Without an index: every target's display name, comma-joined in parentheses; with one: that
  // target's, nothing past the end.
  'okta.targets.displayName': (ref) => {
    const index = ref.arg === undefined ? undefined : (ref.argIndex ?? -1);
    return (ev) => {
      const names = (logEvent(ev).target ?? []).map((t) => t.displayName);
      if (index === undefined) return utf8Bytes(`(${names.join(',')})`);
      const name = index >= 0 ? names[index] : undefined;
      return name === undefined ? undefined : utf8Bytes(name);
    };
  },
  'okta.mfa.failure.countlast': countLast,
  'okta.mfa.deny.countlast': countLast,
};
