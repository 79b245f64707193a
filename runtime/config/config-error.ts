// A setting falcoc cannot use: the message names the key and what it takes (shown as is).
export class ConfigError extends Error {}
