// github plugin fields (github.*). TO BE WRITTEN.
import type { PluginFieldFactory } from '../plugin-event.ts';

export const GITHUB_FIELDS: Readonly<Record<string, PluginFieldFactory>> = {};
