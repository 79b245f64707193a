// The aws_cloudtrail source (cloudtrail plugin): its fields, event time and evt.plugininfo. TO BE COMPLETED.
import type { PluginSourceDef } from '../plugin-event.ts';
import { CLOUDTRAIL_FIELDS } from './fields.ts';

export const CLOUDTRAIL_SOURCE: PluginSourceDef = { source: 'aws_cloudtrail', plugin: 'cloudtrail', fields: CLOUDTRAIL_FIELDS };
