// cloudtrail plugin behaviour the shared field cases leave out: the other identity types,
// ct.info's other forms, upstream quirks (PutBucketPublicAccessBlock flags, a string
// sessionCredentialFromConsole, the last instance Name tag winning), byte counts that are not
// plain integers, image ids, the event time and evt.plugininfo.
import { describe, expect, it } from 'vitest';
import { PLUGIN_FIELDS } from '../../../runtime/fields/plugin-fields.ts';
import { CLOUDTRAIL_SOURCE } from '../../../runtime/sources/cloudtrail/source.ts';
import { parseJson, utf8Bytes } from '../../../runtime/sources/json-doc.ts';
import { PluginExtractError, type PluginEvent } from '../../../runtime/sources/plugin-event.ts';
import type { Extracted } from '../../../runtime/operators/values.ts';
import { fieldExtractor, pluginEvent } from './plugin-fixture.ts';

const eventOf = (record: unknown): PluginEvent => pluginEvent('aws_cloudtrail', record);

const get = (field: string, record: unknown, arg?: string): Extracted => fieldExtractor('cloudtrail', CLOUDTRAIL_SOURCE.fields, field, arg)(eventOf(record));

const base = {
  userIdentity: { type: 'IAMUser', userName: 'bob', accountId: '111122223333' },
  eventTime: '2024-03-11T08:15:42Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'ListUsers',
  sourceIPAddress: '198.51.100.1',
  readOnly: true,
  eventType: 'AwsApiCall',
};

const catalog = PLUGIN_FIELDS.find((p) => p.source === 'aws_cloudtrail')!.fields;

describe('cloudtrail fields', () => {
  it('has an extractor for every catalog field', () => {
    expect(catalog.map((f) => f.name).filter((n) => !CLOUDTRAIL_SOURCE.fields[n])).toEqual([]);
    expect(catalog).toHaveLength(73);
  });

  it('derives ct.user by identity type', () => {
    const user = (identity: unknown) => get('ct.user', { ...base, userIdentity: identity });
    expect(user({ type: 'Root', userName: 'root-user' })).toBe('root-user');
    expect(user({ type: 'AWSService', invokedBy: 'ec2.amazonaws.com' })).toBe('ec2.amazonaws.com');
    expect(user({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/R/s' })).toBe('AssumedRole');
    expect(user({ type: 'AWSAccount', accountId: '1' })).toBe('AWSAccount');
    expect(user({ type: 'FederatedUser', principalId: '1:x' })).toBe('FederatedUser');
    expect(user({ type: 'IdentityCenterUser' })).toBeUndefined();
    expect(user({ type: 'IAMUser' })).toBeUndefined();
    expect(user(undefined)).toBeUndefined();
  });

  it('derives ct.originaluser: the AssumedRole session name, else userName', () => {
    const orig = (identity: unknown) => get('ct.originaluser', { ...base, userIdentity: identity });
    expect(orig({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/R/s1', principalId: 'AROA:s2' })).toBe('s1');
    expect(orig({ type: 'AssumedRole', arn: 'arn:aws:sts::1:odd', principalId: 'AROA:s2' })).toBe('s2');
    expect(orig({ type: 'AssumedRole', principalId: 'AROA' })).toBeUndefined();
    expect(orig({ type: 'IAMUser', userName: 'bob' })).toBe('bob');
  });

  it('falls back to recipientAccountId for ct.user.accountid', () => {
    expect(get('ct.user.accountid', { ...base, userIdentity: { type: 'AWSService' }, recipientAccountId: '999' })).toBe('999');
  });

  it('strips .amazonaws.com only as a suffix of a longer name', () => {
    expect(get('ct.shortsrc', base)).toBe('iam');
    expect(get('ct.shortsrc', { ...base, eventSource: 'custom.example.com' })).toBe('custom.example.com');
    expect(get('ct.shortsrc', { ...base, eventSource: '.amazonaws.com' })).toBe('.amazonaws.com');
  });

  it('gives a non-string member as compact JSON and a missing one as no value', () => {
    expect(get('ct.serviceeventdetails', { ...base, serviceEventDetails: { a: [1, 2.50] } })).toBe('{"a":[1,2.5]}');
    expect(get('ct.apiversion', base)).toBeUndefined();
    expect(get('ct.response', { ...base, responseElements: 'text' })).toBe('"text"');
  });

  it('reads booleans as the plugin does', () => {
    expect(get('ct.readonly', { ...base, readOnly: undefined })).toBeUndefined();
    expect(get('ct.readonly', { ...base, readOnly: 'true' })).toBe('false');
    expect(get('ct.managementevent', base)).toBeUndefined();
    // CloudTrail writes "true" as a string here; only a JSON true reads as true.
    expect(get('ct.sessioncredentialfromconsole', { ...base, sessionCredentialFromConsole: 'true' })).toBe('false');
    expect(get('ct.sessioncredentialfromconsole', { ...base, sessionCredentialFromConsole: true })).toBe('true');
  });

  it('gives no ct.resources for an empty or non-array list', () => {
    expect(get('ct.resources', { ...base, resources: [] })).toBeUndefined();
    expect(get('ct.resources', { ...base, resources: { ARN: 'x' } })).toBeUndefined();
  });

  it('counts S3 bytes: floats truncated, non-numbers as 0, present when either member is', () => {
    const rec = (extra: unknown) => ({ ...base, additionalEventData: extra });
    expect(get('s3.bytes', rec({ bytesTransferredOut: 33.0 }))).toBe(33n);
    expect(get('s3.bytes', rec({ bytesTransferredIn: '12', bytesTransferredOut: 5 }))).toBe(5n);
    expect(get('s3.bytes', rec({ SignatureVersion: 'SigV4' }))).toBeUndefined();
    expect(get('s3.bytes.in', rec({ bytesTransferredOut: 5 }))).toBeUndefined();
    // Raw JSON text: the number forms JSON.stringify would not write.
    expect(get('s3.bytes.out', '{"additionalEventData":{"bytesTransferredOut":18446744073709551615}}')).toBe(18446744073709551615n);
    expect(get('s3.bytes.out', '{"additionalEventData":{"bytesTransferredOut":1e3}}')).toBe(1000n);
    expect(get('s3.bytes', '{"additionalEventData":{"bytesTransferredIn":18446744073709551615,"bytesTransferredOut":2}}')).toBe(1n);
  });

  it('counts S3 operations', () => {
    const get1 = { ...base, eventName: 'GetObject' };
    expect(get('s3.cnt.get', get1)).toBe(1n);
    expect(get('s3.cnt.other', get1)).toBeUndefined();
    expect(get('s3.cnt.put', get1)).toBeUndefined();
    expect(get('s3.cnt.other', { ...base, eventName: undefined })).toBe(1n);
  });

  it('needs a string bucket and key for s3.uri', () => {
    expect(get('s3.uri', { ...base, requestParameters: { bucketName: 'b', key: 7 } })).toBeUndefined();
    expect(get('s3.key', { ...base, requestParameters: { bucketName: 'b', key: 7 } })).toBe('7');
  });

  it('takes ec2.name from the last instance item with a Name tag', () => {
    const spec = (items: unknown) => ({ ...base, requestParameters: { tagSpecificationSet: { items } } });
    const inst = (name: string) => ({ resourceType: 'instance', tags: [{ key: 'Name', value: name }, { key: 'Name', value: 'second' }] });
    expect(get('ec2.name', spec([inst('a'), { resourceType: 'volume', tags: [{ key: 'Name', value: 'v' }] }, inst('b')]))).toBe('b');
    expect(get('ec2.name', spec([inst('a'), inst('')]))).toBeUndefined();
  });

  it('lists image ids from the response instances and the image requests', () => {
    const run = {
      ...base,
      eventName: 'RunInstances',
      responseElements: { instancesSet: { items: [{ imageId: 'ami-1' }, { imageId: 'ami-2' }, { instanceId: 'i-3' }] } },
    };
    expect(get('ec2.imageids', run)).toEqual(['ami-1', 'ami-2']);
    expect(get('ec2.imageids', run, '1')).toBe('ami-2');
    expect(get('ec2.imageids', run, '5')).toBeUndefined();
    expect(get('ec2.imageid', run)).toBe('ami-1');
    expect(get('ec2.imageid', { ...base, requestParameters: { imageId: 'ami-dereg' } })).toBe('ami-dereg');
    expect(get('ec2.imageids', { ...base, requestParameters: { launchSpecification: { imageId: 'ami-spot' } } })).toEqual(['ami-spot']);
    expect(
      get('ec2.imageids', { ...base, requestParameters: { DescribeFastLaunchImagesRequest: { ImageId: { content: 'ami-fl', tag: 1 } } } }),
    ).toEqual(['ami-fl']);
    expect(get('ec2.imageids', base)).toBeUndefined();
  });

  it('fails every field of a record that is not JSON', () => {
    expect(() => get('ct.name', '{not json')).toThrow(PluginExtractError);
    expect(() => get('ct.info', '{not json')).toThrow(PluginExtractError);
  });
});

describe('ct.info', () => {
  it('has ← when readOnly is missing and → only for a present non-true readOnly', () => {
    expect(get('ct.info', { ...base, readOnly: undefined, eventName: 'CreateUser' })).toBe(utf8Bytes('bob via 198.51.100.1 ← CreateUser'));
    expect(get('ct.info', { ...base, readOnly: 'no' })).toBe(utf8Bytes('bob via 198.51.100.1 → ListUsers'));
  });

  it('names what is missing', () => {
    expect(get('ct.info', { ...base, userIdentity: { type: 'SAMLUser' } })).toBe('<invalid cloudtrail event: userIdentity field missing>');
    expect(get('ct.info', { ...base, sourceIPAddress: undefined })).toBe('<invalid cloudtrail event: eventSource field missing>');
    expect(get('ct.info', { ...base, eventName: undefined })).toBe('<invalid cloudtrail event: eventName field missing>');
  });

  it('adds the first of URI, Bucket, Key and Host', () => {
    const rec = (req: unknown) => ({ ...base, requestParameters: req });
    expect(get('ct.info', rec({ key: 'k', Host: 'h' }))).toBe(utf8Bytes('bob via 198.51.100.1 ← ListUsers Key=k'));
    expect(get('ct.info', rec({ Host: 'h' }))).toBe(utf8Bytes('bob via 198.51.100.1 ← ListUsers Host=h'));
    expect(get('ct.info', { ...rec({}), additionalEventData: { bytesTransferredIn: 0 } })).toBe(utf8Bytes('bob via 198.51.100.1 ← ListUsers Size=0'));
  });

  it('reads the PutBucketPublicAccessBlock flags from the top level (upstream quirk)', () => {
    const cfg = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
    const rec = { ...base, readOnly: false, eventName: 'PutBucketPublicAccessBlock', requestParameters: { bucketName: 'b', PublicAccessBlockConfiguration: cfg } };
    expect(get('ct.info', rec)).toBe(
      utf8Bytes('bob via 198.51.100.1 → PutBucketPublicAccessBlock BlockPublicAcls=false BlockPublicPolicy=false IgnorePublicAcls=false RestrictPublicBuckets=false '),
    );
    expect(get('ct.info', { ...rec, BlockPublicAcls: true })).toContain('BlockPublicAcls=true BlockPublicPolicy=false');
    expect(get('ct.info', { ...rec, requestParameters: { bucketName: 'b' } })).toBe(utf8Bytes('bob via 198.51.100.1 → PutBucketPublicAccessBlock'));
  });

  it('is UTF-8 bytes and is evt.plugininfo (as text)', () => {
    const rec = { ...base, userIdentity: { type: 'IAMUser', userName: 'zoë' }, errorCode: 'AccessDenied' };
    const ev = eventOf(rec);
    expect(CLOUDTRAIL_SOURCE.info!(ev)).toBe('zoë via 198.51.100.1 !← ListUsers');
    expect(get('ct.info', rec)).toBe(utf8Bytes('zoë via 198.51.100.1 !← ListUsers'));
    expect(CLOUDTRAIL_SOURCE.info!(eventOf('nope'))).toBeUndefined();
  });
});

describe('cloudtrail event time', () => {
  const time = (t: unknown) => CLOUDTRAIL_SOURCE.time!(parseJson(JSON.stringify({ eventTime: t })));
  it('parses RFC 3339 eventTime to ns', () => {
    expect(time('2024-03-11T08:15:42Z')).toBe(1710144942000000000n);
    expect(time('2024-03-11T08:15:42.123456789Z')).toBe(1710144942123456789n);
    expect(time('2024-03-11T10:15:42.5+02:00')).toBe(1710144942500000000n);
    // Falco's event timestamps are unsigned: before 1970 wraps as Go's uint64(UnixNano()).
    expect(time('1969-12-31T23:59:59Z')).toBe(2n ** 64n - 1_000_000_000n);
  });
  it('gives no time for a missing or invalid eventTime', () => {
    expect(time(undefined)).toBeUndefined();
    expect(time(1710144942)).toBeUndefined();
    expect(time('2024-02-30T00:00:00Z')).toBeUndefined();
    expect(time('2024-03-11 08:15:42Z')).toBeUndefined();
    expect(time('2024-03-11T08:15:42')).toBeUndefined();
  });
});
