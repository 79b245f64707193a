// cloudtrail plugin fields (ct.*, s3.*, ec2.*, ecr.*, iam.*): one extractor factory per field.
// Each event is one CloudTrail record, parsed in ev.doc. A missing member gives no value; a
// record that is not JSON fails every field, as the plugin's parse does. Derivations beyond a
// member lookup live in record.ts.
import { at, compact, member, utf8Bytes, type JsonNode } from '../json-doc.ts';
import { PluginExtractError, type PluginEvent, type PluginFieldFactory } from '../plugin-event.ts';
import type { Extracted } from '../../operators/values.ts';
import {
  boolText,
  ec2NameOf,
  imageIdsOf,
  memoInfo,
  originalUserOf,
  readOnlyOf,
  s3BytesOf,
  s3UriOf,
  countOf,
  userOf,
  valueText,
} from './record.ts';

function recordOf(ev: PluginEvent): JsonNode {
  if (ev.doc === undefined) throw new PluginExtractError('cloudtrail: the event is not a JSON record');
  return ev.doc;
}

const bytes = (s: string | undefined): Extracted => (s === undefined ? undefined : utf8Bytes(s));

/** A field computed from the record. */
const derived =
  (f: (doc: JsonNode, ev: PluginEvent) => Extracted): PluginFieldFactory =>
  () =>
  (ev) =>
    f(recordOf(ev), ev);

/** A field that is the member at `path` (its text; non-string values as compact JSON). */
const plain = (...path: string[]): PluginFieldFactory => derived((doc) => bytes(valueText(at(doc, ...path))));

/** A field that is the whole member at `path` re-printed as JSON (strings stay quoted). */
const whole = (key: string): PluginFieldFactory =>
  derived((doc) => {
    const v = member(doc, key);
    return v === undefined ? undefined : utf8Bytes(compact(v));
  });

const AMAZONAWS = '.amazonaws.com';

/** 1 when eventName is `name`, else no value (the plugin sets none). */
const s3Count = (name: string): PluginFieldFactory =>
  derived((doc) => (valueText(member(doc, 'eventName')) === name ? 1n : undefined));

/** ec2.imageids: every image id; [N] picks one. */
const imageIds: PluginFieldFactory = (ref) => {
  const n = ref.argIndex;
  if (n !== undefined) return (ev): Extracted => bytes(imageIdsOf(recordOf(ev))[n]);
  return (ev): Extracted => {
    const ids = imageIdsOf(recordOf(ev));
    return ids.length === 0 ? undefined : ids.map(utf8Bytes);
  };
};

export const CLOUDTRAIL_FIELDS: Readonly<Record<string, PluginFieldFactory>> = {
  'ct.id': plain('eventID'),
  'ct.error': plain('errorCode'),
  'ct.errormessage': plain('errorMessage'),
  'ct.time': plain('eventTime'),
  'ct.src': plain('eventSource'),
  'ct.shortsrc': derived((doc) => {
    const src = valueText(member(doc, 'eventSource'));
    if (src === undefined) return undefined;
    return utf8Bytes(src.length > AMAZONAWS.length && src.endsWith(AMAZONAWS) ? src.slice(0, -AMAZONAWS.length) : src);
  }),
  'ct.name': plain('eventName'),
  'ct.user': derived((doc) => bytes(userOf(doc))),
  'ct.originaluser': derived((doc) => bytes(originalUserOf(doc))),
  'ct.user.accountid': derived((doc) => bytes(valueText(at(doc, 'userIdentity', 'accountId')) ?? valueText(member(doc, 'recipientAccountId')))),
  'ct.user.identitytype': plain('userIdentity', 'type'),
  'ct.user.principalid': plain('userIdentity', 'principalId'),
  'ct.user.arn': plain('userIdentity', 'arn'),
  'ct.region': plain('awsRegion'),
  'ct.response.subnetid': plain('responseElements', 'subnetId'),
  'ct.response.reservationid': plain('responseElements', 'reservationId'),
  'ct.response': whole('responseElements'),
  'ct.request.availabilityzone': plain('requestParameters', 'availabilityZone'),
  'ct.request.cluster': plain('requestParameters', 'cluster'),
  'ct.request.functionname': plain('requestParameters', 'functionName'),
  'ct.request.groupname': plain('requestParameters', 'groupName'),
  'ct.request.host': plain('requestParameters', 'Host'),
  'ct.request.name': plain('requestParameters', 'name'),
  'ct.request.policy': plain('requestParameters', 'policy'),
  'ct.request.reason': plain('requestParameters', 'reason'),
  'ct.request.target': plain('requestParameters', 'target'),
  'ct.request.documentname': plain('requestParameters', 'documentName'),
  'ct.request.serialnumber': plain('requestParameters', 'serialNumber'),
  'ct.request.servicename': plain('requestParameters', 'serviceName'),
  'ct.request.subnetid': plain('requestParameters', 'subnetId'),
  'ct.request.taskdefinition': plain('requestParameters', 'taskDefinition'),
  'ct.request.username': plain('requestParameters', 'userName'),
  'ct.request': whole('requestParameters'),
  'ct.srcip': plain('sourceIPAddress'),
  'ct.useragent': plain('userAgent'),
  'ct.info': derived((doc, ev) => utf8Bytes(memoInfo(ev, doc))),
  'ct.managementevent': derived((doc) => bytes(boolText(member(doc, 'managementEvent')))),
  'ct.readonly': derived((doc) => bytes(readOnlyOf(doc))),
  'ct.requestid': plain('requestID'),
  'ct.eventtype': plain('eventType'),
  'ct.apiversion': plain('apiVersion'),
  'ct.resources': derived((doc) => {
    // Each resource's JSON, comma-joined (no brackets); none for a missing, non-array or empty list.
    const list = member(doc, 'resources');
    if (list?.k !== 'arr' || list.items.length === 0) return undefined;
    return utf8Bytes(list.items.map(compact).join(','));
  }),
  'ct.recipientaccountid': plain('recipientAccountId'),
  'ct.serviceeventdetails': plain('serviceEventDetails'),
  'ct.sharedeventid': plain('sharedEventID'),
  'ct.vpcendpointid': plain('vpcEndpointId'),
  'ct.eventcategory': plain('eventCategory'),
  'ct.addendum.reason': plain('addendum', 'reason'),
  'ct.addendum.updatedfields': plain('addendum', 'updatedFields'),
  'ct.addendum.originalrequestid': plain('addendum', 'originalRequestID'),
  'ct.addendum.originaleventid': plain('addendum', 'originalEventID'),
  'ct.sessioncredentialfromconsole': derived((doc) => bytes(boolText(member(doc, 'sessionCredentialFromConsole')))),
  'ct.edgedevicedetails': plain('edgeDeviceDetails'),
  'ct.tlsdetails.tlsversion': plain('tlsDetails', 'tlsVersion'),
  'ct.tlsdetails.ciphersuite': plain('tlsDetails', 'cipherSuite'),
  'ct.tlsdetails.clientprovidedhostheader': plain('tlsDetails', 'clientProvidedHostHeader'),
  'ct.additionaleventdata': whole('additionalEventData'),
  's3.uri': derived((doc) => bytes(s3UriOf(doc))),
  's3.bucket': plain('requestParameters', 'bucketName'),
  's3.key': plain('requestParameters', 'key'),
  's3.bytes': derived((doc) => s3BytesOf(doc)),
  's3.bytes.in': derived((doc) => {
    const v = at(doc, 'additionalEventData', 'bytesTransferredIn');
    return v === undefined ? undefined : countOf(v);
  }),
  's3.bytes.out': derived((doc) => {
    const v = at(doc, 'additionalEventData', 'bytesTransferredOut');
    return v === undefined ? undefined : countOf(v);
  }),
  's3.cnt.get': s3Count('GetObject'),
  's3.cnt.put': s3Count('PutObject'),
  's3.cnt.other': derived((doc) => {
    const name = valueText(member(doc, 'eventName'));
    return name === 'GetObject' || name === 'PutObject' ? undefined : 1n;
  }),
  'ec2.name': derived((doc) => bytes(ec2NameOf(doc))),
  'ec2.imageid': derived((doc) => bytes(imageIdsOf(doc)[0])),
  'ec2.imageids': imageIds,
  'ecr.repository': plain('requestParameters', 'repositoryName'),
  'ecr.imagetag': plain('requestParameters', 'imageTag'),
  'iam.role': plain('requestParameters', 'roleName'),
  'iam.policy': plain('requestParameters', 'policyName'),
};
