// Versions falcoc reports.

/** The Falco engine version falcoc's rules language corresponds to (Falco 0.44.x, rules engine 0.63.0). */
export const ENGINE_VERSION = '0.63.0';

/** falcoc's own version. */
export const FALCOC_VERSION = '0.1.0';
