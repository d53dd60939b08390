// The library's search index: prefix matching, all words required, title > symptoms > body.
import { describe, expect, it } from 'vitest';
import { SearchIndex, tokenize } from './search-index';

function build() {
  const idx = new SearchIndex();
  idx.add({
    id: 'db',
    title: 'Database Issues',
    symptoms: ['database is locked'],
    tags: ['sqlite'],
    body: 'Run PRAGMA integrity_check on aura.db.',
  });
  idx.add({
    id: 'cache',
    title: 'Cache Management',
    symptoms: ['Redis refuses connections'],
    tags: [],
    body: 'The database is not involved; check redis-cli ping.',
  });
  idx.add({
    id: 'logs',
    title: 'Log Management',
    symptoms: [],
    tags: [],
    body: 'Rotate logs. A locked database shows up in logs too: database, database.',
  });
  return idx;
}

describe('SearchIndex', () => {
  it('ranks a title hit above a symptom hit above body hits', () => {
    const hits = build().search('database');
    expect(hits.map((h) => h.id)).toEqual(['db', 'logs', 'cache']);
    expect(hits[0].fields).toContain('title');
  });

  it('ranks a symptom hit above a body hit', () => {
    const hits = build().search('redis');
    expect(hits.map((h) => h.id)).toEqual(['cache']);
    const h2 = build().search('locked');
    expect(h2.map((h) => h.id)).toEqual(['db', 'logs']);
    expect(h2[0].fields).toEqual(['symptoms']);
  });

  it('matches word prefixes and requires every query word', () => {
    expect(
      build()
        .search('integ')
        .map((h) => h.id),
    ).toEqual(['db']);
    expect(
      build()
        .search('database redis')
        .map((h) => h.id),
    ).toEqual(['cache']);
    expect(build().search('database nonexistentword')).toEqual([]);
    expect(build().search('   ')).toEqual([]);
  });

  it('gives a snippet from the matching line, and forgets removed docs', () => {
    const idx = build();
    expect(idx.search('ping')[0].snippet).toContain('redis-cli ping');
    idx.remove('cache');
    expect(idx.search('redis')).toEqual([]);
    expect(idx.size).toBe(2);
  });

  it('tokenizes dotted and dashed words both whole and in parts', () => {
    expect(tokenize('aura.db redis-cli')).toEqual(['aura.db', 'aura', 'db', 'redis-cli', 'redis', 'cli']);
  });
});
