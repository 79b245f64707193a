// The okta plugin decodes each event with Go's encoding/json into its LogEvent struct, and its
// fields read that struct, not the JSON. What that decoding means for falcoc:
// - only the struct's members are read; a member is found by its exact name, else
//   case-insensitively (Go folds ASCII case, plus `ſ`→s and the Kelvin sign→k); when several
//   members match, the last one wins (objects merge member by member);
// - null leaves the zero value: "" for strings, 0 for numbers, no targets;
// - a value of another JSON type than the struct member's (a number or boolean where a string is
//   expected, e.g. a real boolean in `securityContext.isProxy`; a fraction in an int; …) makes
//   the whole decode fail, and with it every okta field of the event.
import type { JsonNode } from '../json-doc.ts';

/** The shape of a Go struct member: string, int (int64), float64, struct, or slice. */
type Shape = 'string' | 'int' | 'float' | { readonly obj: Readonly<Record<string, Shape>> } | { readonly list: Shape };

/** What a shape decodes to. */
export type Decoded<S> = S extends 'string'
  ? string
  : S extends 'int'
    ? bigint
    : S extends 'float'
      ? number
      : S extends { readonly list: infer E }
        ? Decoded<E>[] | null
        : S extends { readonly obj: infer O }
          ? { -readonly [K in keyof O]: Decoded<O[K]> }
          : never;

const principal = { obj: { id: 'string', type: 'string', alternateId: 'string', displayName: 'string' } } as const;

/**
 * The okta plugin's LogEvent (keys are the JSON names). Upstream quirk kept: the longitude is
 * read from `lonDe`, so a standard event's longitude is 0.
 */
const LOG_EVENT = {
  obj: {
    uuid: 'string',
    published: 'string',
    eventType: 'string',
    version: 'string',
    severity: 'string',
    legacyEventType: 'string',
    displayMessage: 'string',
    actor: principal,
    client: {
      obj: {
        userAgent: { obj: { os: 'string', browser: 'string', rawUserAgent: 'string' } },
        geographicalContext: {
          obj: {
            geolocation: { obj: { lat: 'float', lonDe: 'float' } },
            city: 'string',
            state: 'string',
            country: 'string',
            postalCode: 'string',
          },
        },
        zone: 'string',
        ipAddress: 'string',
        device: 'string',
        id: 'string',
      },
    },
    outcome: { obj: { result: 'string', reason: 'string' } },
    target: { list: principal },
    transaction: { obj: { type: 'string', id: 'string' } },
    debugContext: {
      obj: {
        debugData: {
          obj: { requestUri: 'string', originalPrincipal: principal, behaviors: 'string', logOnlySecurityData: 'string' },
        },
      },
    },
    authenticationContext: {
      obj: {
        authenticationStep: 'int',
        externalSessionId: 'string',
        authenticationProvider: 'string',
        credentialProvider: 'string',
      },
    },
    securityContext: {
      obj: { asNumber: 'int', asOrg: 'string', isp: 'string', domain: 'string', isProxy: 'string' },
    },
  },
} as const;

export type LogEvent = Decoded<typeof LOG_EVENT>;

export class OktaDecodeError extends Error {}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Go's case folding of a member name (for the names this struct has, all ASCII). */
const fold = (s: string) =>
  // eslint-disable-next-line no-control-regex
  /^[\x00-\x7f]*$/.test(s) ? s.toUpperCase() : s.replace(/[a-z]/g, (c) => c.toUpperCase()).replace(/\u017f/g, 'S').replace(/\u212a/g, 'K');

/** Per struct shape: its member names by folded name (built once). */
const folded = new WeakMap<object, Map<string, string>>();
function memberName(shape: { obj: Record<string, Shape> }, key: string): string | undefined {
  if (Object.hasOwn(shape.obj, key)) return key;
  let byFold = folded.get(shape);
  if (!byFold) {
    byFold = new Map();
    for (const n of Object.keys(shape.obj)) if (!byFold.has(fold(n))) byFold.set(fold(n), n);
    folded.set(shape, byFold);
  }
  return byFold.get(fold(key));
}

function zero(shape: Shape): unknown {
  if (shape === 'string') return '';
  if (shape === 'int') return 0n;
  if (shape === 'float') return 0;
  if ('list' in shape) return null;
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(shape.obj)) out[k] = zero(s);
  return out;
}

function typeError(what: string, node: JsonNode): never {
  throw new OktaDecodeError(`json: cannot unmarshal ${node.k === 'num' ? `number ${node.raw}` : node.k} into ${what}`);
}

/**
 * Decodes `node` into a copy of `prev` of the given shape. Go keeps decoding after a type error
 * and reports the first at the end; since any error fails the whole event, stopping at the first
 * gives the same outcome.
 */
function decode(shape: Shape, node: JsonNode, prev: unknown): unknown {
  if (node.k === 'null') return typeof shape === 'object' && 'list' in shape ? null : prev;
  if (shape === 'string') return node.k === 'str' ? node.v : typeError('Go value of type string', node);
  if (shape === 'int') {
    if (node.k !== 'num' || !/^-?\d+$/.test(node.raw)) return typeError('Go value of type int', node);
    const n = BigInt(node.raw);
    return n < INT64_MIN || n > INT64_MAX ? typeError('Go value of type int', node) : n;
  }
  if (shape === 'float') {
    const n = node.k === 'num' ? Number(node.raw) : NaN;
    return Number.isFinite(n) ? n : typeError('Go value of type float64', node);
  }
  if ('list' in shape) {
    if (node.k !== 'arr') return typeError('Go value of type []struct', node);
    return node.items.map((item) => decode(shape.list, item, zero(shape.list)));
  }
  if (node.k !== 'obj') return typeError('Go value of type struct', node);
  const out = { ...(prev as Record<string, unknown>) };
  for (let i = 0; i < node.keys.length; i++) {
    const name = memberName(shape, node.keys[i]!);
    if (name !== undefined) out[name] = decode(shape.obj[name]!, node.vals[i]!, out[name]);
  }
  return out;
}

/** The event as the okta plugin decodes it; throws OktaDecodeError where Go's decode fails. */
export function decodeLogEvent(doc: JsonNode | undefined): LogEvent {
  if (doc === undefined) throw new OktaDecodeError('okta event payload is not JSON');
  // Once per document: the reader asks for the time, the fields for the rest.
  let d = decoded.get(doc);
  if (!d) {
    try {
      d = { event: decode(LOG_EVENT, doc, zero(LOG_EVENT)) as LogEvent };
    } catch (e) {
      if (!(e instanceof OktaDecodeError)) throw e;
      d = { error: e };
    }
    decoded.set(doc, d);
  }
  if (d.error) throw d.error;
  return d.event!;
}

const decoded = new WeakMap<JsonNode, { event?: LogEvent; error?: OktaDecodeError }>();
