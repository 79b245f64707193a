// cloudtrail plugin fields (ct.*, s3.*, ec2.*). TO BE WRITTEN.
import type { PluginFieldFactory } from '../plugin-event.ts';

export const CLOUDTRAIL_FIELDS: Readonly<Record<string, PluginFieldFactory>> = {};
