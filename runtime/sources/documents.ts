// How each plugin source cuts what it is given into events: a Kubernetes audit `EventList`
// into its items, a CloudTrail log file's `Records` into records; the others take each JSON
// document as one event. A document that is not what the source takes gets the reason
// (the k8saudit plugin's own words where it has them).
import { member, str, type JsonNode } from './json-doc.ts';

export type Split = { events: readonly JsonNode[] } | { error: string };

const SPLITTERS: Readonly<Record<string, (doc: JsonNode) => Split>> = {
  k8s_audit(doc) {
    const kind = str(member(doc, 'kind'));
    if (kind === 'EventList') {
      const items = member(doc, 'items');
      if (items?.k !== 'arr') return { error: 'data not recognized as a k8s audit event (an EventList without items)' };
      const bad = items.items.find((e) => str(member(e, 'kind')) !== 'Event');
      return bad ? { error: 'data not recognized as a k8s audit event (an EventList item is not an Event)' } : { events: items.items };
    }
    if (kind === 'Event') return { events: [doc] };
    return { error: 'data not recognized as a k8s audit event' };
  },
  aws_cloudtrail(doc) {
    const records = member(doc, 'Records');
    // As the plugin: records without an eventType, and Insights records, are not events.
    const isEvent = (r: JsonNode) => {
      const type = str(member(r, 'eventType'));
      return type !== undefined && type !== 'AwsCloudTrailInsight';
    };
    if (records?.k === 'arr') return { events: records.items.filter(isEvent) };
    // A lone record (one JSON object per line, as some exporters write them).
    if (member(doc, 'eventName') && member(doc, 'eventTime')) return { events: [doc] };
    return { error: 'data not recognized as CloudTrail logs (no Records array, nor a record)' };
  },
  github(doc) {
    if (doc.k !== 'obj') return { error: 'data not recognized as a GitHub webhook event (not a JSON object)' };
    return { events: [doc] };
  },
  okta(doc) {
    if (doc.k !== 'obj') return { error: 'data not recognized as an Okta log event (not a JSON object)' };
    return { events: [doc] };
  },
};

export function splitDocument(source: string, doc: JsonNode): Split {
  const f = SPLITTERS[source];
  return f ? f(doc) : { events: [doc] };
}
