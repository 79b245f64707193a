// What the cloudtrail plugin derives from one CloudTrail record beyond a member lookup: the
// user (by identity type), the session name, the event summary (ct.info), S3 byte counts and
// EC2 image ids. Facts from falcosecurity/plugins plugins/cloudtrail/pkg/cloudtrail/extract.go
// (fastjson era, with value offsets) and the image-id rework of PR #1310. Values here are
// JavaScript strings; fields.ts turns them into byte strings.
import { at, compact, member, str, type JsonNode } from '../json-doc.ts';

/**
 * A member's value as the plugin hands it over: a string's text, any other JSON value's
 * compact text (how fastjson re-prints a value); undefined when the member is missing.
 */
export function valueText(node: JsonNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  return node.k === 'str' ? node.v : compact(node);
}

/**
 * ct.user: who acted, by userIdentity.type — the userName of Root and IAMUser, the invoking
 * service of AWSService, the issuer role of AssumedRole (or "AssumedRole" without one), the
 * type itself for AWSAccount and FederatedUser. Any other type, a missing type, or a missing
 * member gives no user.
 */
export function userOf(doc: JsonNode): string | undefined {
  const identity = member(doc, 'userIdentity');
  switch (str(member(identity, 'type'))) {
    case 'Root':
    case 'IAMUser':
      return valueText(member(identity, 'userName'));
    case 'AWSService':
      return valueText(member(identity, 'invokedBy'));
    case 'AssumedRole':
      return valueText(at(identity, 'sessionContext', 'sessionIssuer', 'userName')) ?? 'AssumedRole';
    case 'AWSAccount':
      return 'AWSAccount';
    case 'FederatedUser':
      return 'FederatedUser';
    default:
      return undefined;
  }
}

/**
 * ct.originaluser: for AssumedRole the session name — the third part of an
 * `arn:…:assumed-role/<role>/<session>` ARN, else the part after the colon of a
 * `<id>:<session>` principal id; for any other identity, userIdentity.userName.
 */
export function originalUserOf(doc: JsonNode): string | undefined {
  const identity = member(doc, 'userIdentity');
  if (str(member(identity, 'type')) !== 'AssumedRole') return valueText(member(identity, 'userName'));
  const arn = str(member(identity, 'arn'));
  if (arn !== undefined) {
    const parts = arn.split('/');
    if (parts.length === 3) return parts[2];
  }
  const principal = str(member(identity, 'principalId'));
  if (principal !== undefined) {
    const parts = principal.split(':');
    if (parts.length === 2) return parts[1];
  }
  return undefined;
}

/**
 * ct.readonly: present when the record has readOnly — "true" for JSON true, "false" for
 * anything else. (The plugin's event-name heuristic for records without readOnly is never
 * reached: a missing member returns first.)
 */
export function readOnlyOf(doc: JsonNode): string | undefined {
  const ro = member(doc, 'readOnly');
  if (ro === undefined) return undefined;
  return ro.k === 'bool' && ro.v ? 'true' : 'false';
}

/** A boolean member as "true"/"false" (JSON true only counts as true); undefined when missing. */
export function boolText(node: JsonNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  return node.k === 'bool' && node.v ? 'true' : 'false';
}

const U64_MOD = 1n << 64n;
const U64_INVALID = 1n << 63n;
const UINT_TEXT = /^\d+$/;

/**
 * A byte count as the plugin reads it: an unsigned integer number as is; any other number
 * (bytesTransferredOut is sometimes 33.0) through a float, truncated the way Go converts
 * float64 to uint64 on amd64; a non-number counts 0.
 */
export function countOf(node: JsonNode): bigint {
  if (node.k !== 'num') return 0n;
  if (UINT_TEXT.test(node.raw)) {
    const n = BigInt(node.raw);
    if (n < U64_MOD) return n;
  }
  const f = Number(node.raw);
  if (!Number.isFinite(f)) return U64_INVALID;
  const t = Math.trunc(f);
  if (t >= 0 && t < 2 ** 64) return BigInt(t);
  if (t < 0 && t > -(2 ** 63)) return BigInt.asUintN(64, BigInt(t));
  return U64_INVALID;
}

/** s3.bytes: bytesTransferredIn + bytesTransferredOut of additionalEventData, when either is there. */
export function s3BytesOf(doc: JsonNode): bigint | undefined {
  const extra = member(doc, 'additionalEventData');
  const bin = member(extra, 'bytesTransferredIn');
  const bout = member(extra, 'bytesTransferredOut');
  if (bin === undefined && bout === undefined) return undefined;
  return BigInt.asUintN(64, (bin ? countOf(bin) : 0n) + (bout ? countOf(bout) : 0n));
}

/** s3.uri: s3://<bucketName>/<key> of requestParameters, when both are strings. */
export function s3UriOf(doc: JsonNode): string | undefined {
  const req = member(doc, 'requestParameters');
  const bucket = str(member(req, 'bucketName'));
  if (bucket === undefined) return undefined;
  const key = str(member(req, 'key'));
  if (key === undefined) return undefined;
  return `s3://${bucket}/${key}`;
}

/**
 * ec2.name: the Name tag of the instance in requestParameters.tagSpecificationSet. Every
 * item of resourceType "instance" is read and the first Name tag of each overwrites the
 * result, so the last such item wins; an empty name is no name.
 */
export function ec2NameOf(doc: JsonNode): string | undefined {
  const items = at(doc, 'requestParameters', 'tagSpecificationSet', 'items');
  if (items?.k !== 'arr') return undefined;
  let name = '';
  for (const item of items.items) {
    if ((str(member(item, 'resourceType')) ?? '') !== 'instance') continue;
    const tags = member(item, 'tags');
    if (tags?.k !== 'arr') continue;
    for (const tag of tags.items) {
      if ((str(member(tag, 'key')) ?? '') === 'Name') {
        name = str(member(tag, 'value')) ?? '';
        break;
      }
    }
  }
  return name === '' ? undefined : name;
}

/** Pushes the non-empty string imageId-like value(s) of `node` (one object or an array of them). */
function pushImageIds(out: string[], node: JsonNode | undefined, key: string): void {
  if (node === undefined) return;
  const objects = node.k === 'arr' ? node.items : [node];
  for (const o of objects) {
    const id = str(member(o, key));
    if (id) out.push(id);
  }
}

/**
 * ec2.imageids: the AMIs a record names — of every instance in
 * responseElements.instancesSet.items (RunInstances), then requestParameters.imageId
 * (DeregisterImage and the like), requestParameters.launchSpecification.imageId
 * (RequestSpotInstances) and the DescribeFastLaunchImages request's ImageId.content.
 * One per instance, in document order.
 */
export function imageIdsOf(doc: JsonNode): string[] {
  const ids: string[] = [];
  const instances = at(doc, 'responseElements', 'instancesSet', 'items');
  if (instances?.k === 'arr') pushImageIds(ids, instances, 'imageId');
  const req = member(doc, 'requestParameters');
  pushImageIds(ids, req, 'imageId');
  pushImageIds(ids, member(req, 'launchSpecification'), 'imageId');
  pushImageIds(ids, at(req, 'DescribeFastLaunchImagesRequest', 'ImageId'), 'content');
  return ids;
}

/**
 * ct.info: "<user> via <srcip> [!]<←|→> <eventName>" (the "via" part left out when the user
 * is the source IP), "!" when errorCode is there, → only when readOnly is present and not
 * true. Then, for PutBucketPublicAccessBlock with a configuration object, its four flags —
 * read (upstream quirk) from the record's top level, so false unless the record has them
 * there; otherwise " Size=<s3.bytes>" when known and the first of URI=, Bucket=, Key=, Host=.
 */
export function infoOf(doc: JsonNode): string {
  const user = userOf(doc);
  if (user === undefined) return '<invalid cloudtrail event: userIdentity field missing>';
  const srcip = valueText(member(doc, 'sourceIPAddress'));
  if (srcip === undefined) return '<invalid cloudtrail event: eventSource field missing>';
  const err = member(doc, 'errorCode') !== undefined ? '!' : '';
  const rw = readOnlyOf(doc) === 'false' ? '→' : '←';
  const name = valueText(member(doc, 'eventName'));
  if (name === undefined) return '<invalid cloudtrail event: eventName field missing>';
  let info = user === srcip ? `${user} ${err}${rw} ${name}` : `${user} via ${srcip} ${err}${rw} ${name}`;

  const req = member(doc, 'requestParameters');
  if (name === 'PutBucketPublicAccessBlock') {
    if (member(req, 'PublicAccessBlockConfiguration')?.k === 'obj') {
      const flag = (k: string) => boolText(member(doc, k)) ?? 'false';
      info += ` BlockPublicAcls=${flag('BlockPublicAcls')} BlockPublicPolicy=${flag('BlockPublicPolicy')} IgnorePublicAcls=${flag('IgnorePublicAcls')} RestrictPublicBuckets=${flag('RestrictPublicBuckets')} `;
    }
    return info;
  }
  const bytes = s3BytesOf(doc);
  if (bytes !== undefined) info += ` Size=${bytes}`;
  const uri = s3UriOf(doc);
  if (uri !== undefined) return `${info} URI=${uri}`;
  const bucket = valueText(member(req, 'bucketName'));
  if (bucket !== undefined) return `${info} Bucket=${bucket}`;
  const key = valueText(member(req, 'key'));
  if (key !== undefined) return `${info} Key=${key}`;
  const host = valueText(member(req, 'Host'));
  if (host !== undefined) return `${info} Host=${host}`;
  return info;
}

/** Per-event memo of ct.info, shared by the field and evt.plugininfo. */
export class CloudTrailMemo {
  info: string | undefined;
}

/** ct.info of an event's record, computed once per event. */
export function memoInfo(ev: { doc: JsonNode | undefined; memo?: unknown }, doc: JsonNode): string {
  let memo = ev.memo;
  if (!(memo instanceof CloudTrailMemo)) ev.memo = memo = new CloudTrailMemo();
  return ((memo as CloudTrailMemo).info ??= infoOf(doc));
}
