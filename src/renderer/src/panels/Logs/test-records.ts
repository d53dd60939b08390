// Test fixture for the log pane suites: an indexed record as the log index returns it, made from its
// index alone (offset index * 100, time index * 10, message `line <index>`).
import type { IndexedRecord } from '../../../../shared/contract/logs';

export function rec(index: number): IndexedRecord {
  return {
    index,
    offset: index * 100,
    file: 'aura-api-20261207.log',
    time: index * 10,
    level: 'INF',
    correlationId: null,
    traceId: null,
    spanId: null,
    source: null,
    message: `line ${index}`,
    properties: null,
    exception: null,
    lineCount: 1,
    truncated: false,
  };
}
