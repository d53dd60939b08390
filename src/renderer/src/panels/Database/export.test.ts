// CSV/JSON export of console results: quoting, NULLs, summarised cells.
import { expect, test } from 'vitest';
import { toCsv, toJson } from './export';

const columns = [
  { name: 'id', declaredType: 'INTEGER' },
  { name: 'note', declaredType: 'TEXT' },
];

test('CSV quotes commas, quotes and newlines, and leaves NULL empty', () => {
  const csv = toCsv(columns, [
    [1, 'a,"b"\nc'],
    [2, null],
    [
      { kind: 'bigint', value: '9007199254740993' },
      { kind: 'long-text', text: 'abc', length: 9000 },
    ],
  ]);
  expect(csv).toBe('id,note\r\n1,"a,""b""\nc"\r\n2,\r\n9007199254740993,abc\r\n');
});

test('JSON is one object per row', () => {
  expect(
    JSON.parse(
      toJson(columns, [
        [1, null],
        [2, { kind: 'blob', bytes: 2, hex: 'ff00' }],
      ]),
    ),
  ).toEqual([
    { id: 1, note: null },
    { id: 2, note: "x'ff00'" },
  ]);
});
