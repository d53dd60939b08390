// How the console names itself to Aura: the User-Agent of its own HTTP probes. The error rate leaves
// these requests out, so that an operator polling hard (or the console's own sweeps) cannot dilute a spike.

/** Sent by every probe request; Aura logs it as the `UserAgent` property of each request. */
export const CONSOLE_USER_AGENT = 'aura-ops-probe';
