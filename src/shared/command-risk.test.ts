// The command risk classifier on a table of real runbook-style commands: both classes and the
// tricky shapes (pipes, lists, subshells, sudo/env prefixes, quoting, here-docs, redirections).
import { describe, expect, it } from 'vitest';
import { classifyCommand } from './command-risk';

const READ_ONLY: string[] = [
  'cat "$AURA_LOGS_PATH/aura-api-20250101.log"',
  'tail -n 200 -f logs/aura-api-20250101.log',
  'head -c 4096 aura.db | xxd',
  "grep -i 'error' logs/*.log | wc -l",
  'ls -la "$AURA_DATA_PATH"',
  'df -h / && free -m',
  'ps aux | grep -i aura | grep -v grep',
  'curl -s http://127.0.0.1:5005/health/live',
  'curl -fsS -o /dev/null -w "%{http_code}" http://127.0.0.1:5005/health/ready',
  'curl -X GET http://127.0.0.1:5005/api/metrics/system | jq .',
  'curl -sI http://127.0.0.1:5005/',
  'sqlite3 "$AURA_DATABASE_PATH" "SELECT count(*) FROM ProjectStates;"',
  'sqlite3 -readonly aura.db "PRAGMA quick_check;"',
  "sqlite3 aura.db 'PRAGMA integrity_check'",
  'sqlite3 aura.db .tables',
  'sqlite3 aura.db ".schema ProjectStates"',
  'sqlite3 -json aura.db "PRAGMA journal_mode; SELECT name FROM sqlite_master"',
  "sqlite3 aura.db <<'SQL'\nSELECT id FROM Jobs WHERE Status = 'Failed';\n.tables\nSQL",
  'echo "SELECT 1;" | sqlite3 aura.db',
  'redis-cli PING',
  'redis-cli -h 127.0.0.1 -p 6379 INFO memory',
  'redis-cli --scan --pattern "aura:*"',
  'redis-cli -n 0 DBSIZE',
  'redis-cli TTL aura:cache:key',
  'redis-cli CONFIG GET maxmemory',
  'jq ".Serilog" appsettings.json',
  'wc -l logs/*.log',
  'du -sh "$AURA_DATA_PATH"/*',
  'find "$AURA_LOGS_PATH" -name "*.log" -mtime -1',
  'echo $AURA_API_URL',
  'date -u +%FT%TZ',
  'stat -c %s aura.db-wal',
  'systemctl status aura-api --no-pager',
  'systemctl --user is-active aura',
  'journalctl -u aura-api --since "1 hour ago" --no-pager',
  'sudo journalctl -u aura-api -n 100',
  'sudo -u aura cat /var/lib/aura/appsettings.json',
  'env LC_ALL=C sort logs/a.log | uniq -c',
  'LC_ALL=C grep -c "fatal" logs/aura-api-20250101.log',
  'nohup tail -f logs/a.log > /dev/null 2>&1 &',
  'time curl -s http://127.0.0.1:5005/health',
  'ls 2>/dev/null || echo "no logs"',
  'grep error a.log 2>&1 | head',
  'echo "$(date) $(hostname)"',
  'cat `ls -t logs/*.log | head -1`',
  'for f in logs/*.log; do tail -n 5 "$f"; done',
  'if [ -f aura.db ]; then stat aura.db; fi',
  'docker compose ps',
  'docker logs --tail 100 aura-api',
  'docker compose -f docker-compose.prod.yml logs api',
  'git status && git log --oneline -5',
  'dotnet --info',
  'dotnet ef migrations list',
  'aura-ops logs tail --json',
  'aura-ops check --json',
  'aura-ops db overview --db "$AURA_DATABASE_PATH"',
  'aura-ops runbooks lint resources/runbooks',
  'aura-ops sandbox scenarios',
  'aura-ops terminal classify rm -rf /',
  'bash -c "tail -n 20 logs/a.log"',
  'timeout 5 curl -s http://127.0.0.1:5005/health/live',
  'ffprobe -v error -show_format input.mp4',
  'ffmpeg -version',
  'wget -qO- http://127.0.0.1:5005/health/live',
  'xargs -0 grep -l error',
  'find . -name "*.log" | xargs wc -l',
  "awk '{print $1}' logs/a.log | sort | uniq -c | sort -rn",
  'sed -n "1,20p" appsettings.json',
  'tar -tzf backup.tar.gz',
  'apt list --installed',
  '  # just a comment',
  '',
  'echo "rm -rf / is dangerous"',
  "echo 'a > b'",
  'echo a\\>b',
  'cat <<< "text"',
];

const MUTATING: [string, RegExp][] = [
  ['rm -rf "$AURA_DATA_PATH/Temp"', /rm removes/],
  ['mv aura.db aura.db.bak', /mv/],
  ['cp aura.db /tmp/x.db', /cp writes/],
  ['echo hello > notes.txt', /writes to notes.txt/],
  ['echo hello >> "$AURA_LOGS_PATH/x.log"', /writes to .*x\.log \(>>\)/],
  ['grep x a.log 2> errors.txt', /writes to errors\.txt \(2>\)/],
  ['ls &> out.txt', /writes to out\.txt/],
  ['sudo systemctl restart aura-api', /systemctl restart/],
  ['systemctl stop aura-api', /systemctl stop/],
  ['service aura stop', /service/],
  ['kill -9 1234', /kill/],
  ['pkill -f Aura.Api', /pkill/],
  ['killall dotnet', /killall/],
  ['sqlite3 aura.db "DELETE FROM Jobs WHERE Status = \'Failed\'"', /DELETE/],
  ['sqlite3 aura.db "DROP TABLE ProjectStates"', /DROP/],
  ['sqlite3 aura.db "UPDATE Settings SET v = 1"', /UPDATE/],
  ['sqlite3 aura.db "INSERT INTO t VALUES (1)"', /INSERT/],
  ['sqlite3 aura.db VACUUM', /VACUUM/],
  ['sqlite3 aura.db ".restore backup.db"', /\.restore/],
  ['sqlite3 aura.db "PRAGMA journal_mode=DELETE"', /PRAGMA journal_mode = /],
  ['sqlite3 aura.db "SELECT 1; DELETE FROM Jobs"', /DELETE/],
  ['sqlite3 aura.db', /interactive sqlite3/],
  ['sqlite3 aura.db < fix.sql', /stdin that cannot be checked/],
  ['sqlite3 aura.db <<EOF\nDELETE FROM Jobs;\nEOF', /DELETE/],
  ['echo "DELETE FROM Jobs;" | sqlite3 aura.db', /DELETE/],
  ['sqlite3 -readonly aura.db ".shell rm x"', /\.shell/],
  ['redis-cli FLUSHALL', /FLUSHALL/],
  ['redis-cli -n 2 FLUSHDB', /FLUSHDB/],
  ['redis-cli DEL aura:cache:key', /DEL/],
  ['redis-cli CONFIG SET maxmemory 100mb', /CONFIG SET/],
  ['redis-cli', /interactive redis-cli/],
  ['docker compose down', /docker compose down/],
  ['docker compose -f docker-compose.prod.yml down -v', /docker compose down/],
  ['docker-compose restart api', /docker-compose restart/],
  ['docker rm -f aura-api', /docker rm/],
  ['git checkout -- appsettings.json', /git checkout/],
  ['git reset --hard HEAD', /git reset/],
  ['dotnet ef database update', /database update/],
  ['chmod 600 aura.db', /chmod/],
  ['sudo chown -R aura:aura /var/lib/aura', /chown/],
  ['apt-get install -y ffmpeg', /apt-get install/],
  ['sudo apt install redis-server', /apt install/],
  ['npm install -g something', /npm install/],
  ['pip install requests', /pip install/],
  ['curl -X POST http://127.0.0.1:5005/api/metrics/reset', /POST/],
  ['curl -XDELETE http://127.0.0.1:5005/api/x', /DELETE/],
  ['curl -d "{}" http://127.0.0.1:5005/api/jobs', /sends data/],
  ['curl --data-binary @f http://x', /--data-binary/],
  ['curl -o ffmpeg.zip https://example.com/ffmpeg.zip', /writes to ffmpeg\.zip/],
  ['curl -sSLo out.bin https://example.com/x', /writes to out\.bin/],
  ['curl -O https://example.com/x.zip', /-O writes/],
  ['wget https://example.com/x.zip', /wget/],
  ['find logs -name "*.log" -mtime +7 -delete', /-delete/],
  ['find . -name "*.tmp" -exec rm {} \\;', /find -exec runs: rm/],
  ['find . -type f | xargs rm -f', /rm removes/],
  ['./Scripts/backup-database.sh', /unknown command/],
  ['frobnicate --all', /unknown command "frobnicate"/],
  ['cat a.log && rm a.log', /rm removes/],
  ['ls; rm -r Temp', /rm removes/],
  ['ls || mv a b', /mv/],
  ['echo $(rm -rf x)', /rm removes/],
  ['echo "now: $(touch marker)"', /touch/],
  ['cat `rm x`', /rm removes/],
  ['(cd /tmp && rm -f x)', /rm removes/],
  ['sudo env FOO=1 nohup rm x', /rm removes/],
  ['env -i PATH=/usr/bin rm x', /rm removes/],
  ['FOO=bar BAZ="q x" rm x', /rm removes/],
  ['time nice -n 10 rm x', /rm removes/],
  ['bash -c "rm -rf /tmp/x"', /rm removes/],
  ["sh -c 'echo ok; systemctl restart aura'", /systemctl restart/],
  ['"rm" -rf x', /rm removes/],
  ['\\rm x', /rm removes/],
  ['/bin/rm x', /rm removes/],
  ['ls | tee listing.txt', /tee writes to listing\.txt/],
  ['sed -i "s/a/b/" appsettings.json', /sed -i/],
  ['dd if=/dev/zero of=aura.db bs=1 count=1', /dd/],
  ['truncate -s 0 logs/a.log', /truncate/],
  ['> logs/a.log', /writes to logs\/a\.log/],
  ['$CMD --now', /only known at run time/],
  ['eval "$X"', /eval/],
  ['source ./fix.sh', /source/],
  ['bash', /starts a shell/],
  ['journalctl --vacuum-time=2d', /vacuum/],
  ['aura-ops db backup --db aura.db --out /tmp/x.db', /writes a backup file/],
  ['aura-ops bundle --out /tmp/b.zip', /zip/],
  ['aura-ops sandbox scenario /tmp/demo db-locked', /changes the demo install/],
  ['aura-ops report abc --out r.md', /writes a file/],
  ['aura-ops serve --host 0.0.0.0', /server/],
  ['aura-ops frobnicate', /not a known read-only command/],
  ['tar -xzf backup.tar.gz', /tar/],
  ['cat <(rm x)', /rm removes/],
  ['echo x |& tee -a out.log', /tee writes/],
];

describe('classifyCommand', () => {
  it('has a table of at least 60 commands', () => {
    expect(READ_ONLY.length + MUTATING.length).toBeGreaterThanOrEqual(60);
  });

  it.each(READ_ONLY)('read-only: %s', (cmd) => {
    const r = classifyCommand(cmd);
    expect(r.reasons).toEqual([]);
    expect(r.risk).toBe('read-only');
  });

  it.each(MUTATING)('mutating: %s', (cmd, reason) => {
    const r = classifyCommand(cmd);
    expect(r.risk).toBe('mutating');
    expect(r.reasons.join(' | ')).toMatch(reason);
  });

  it('names sudo when it wraps a mutating command', () => {
    expect(classifyCommand('sudo rm -f x').reasons).toEqual(['runs as root (sudo)', 'rm removes files']);
  });

  it('reports every mutating part of a list once', () => {
    const r = classifyCommand('rm a; rm b; chmod 600 c');
    expect(r.reasons).toEqual(['rm removes files', 'chmod changes permissions']);
  });

  it('does not hang or recurse without bound on deeply nested substitutions', () => {
    const nested = 'echo ' + '$('.repeat(30) + 'ls' + ')'.repeat(30);
    expect(classifyCommand(nested).risk).toBe('mutating');
    expect(classifyCommand(nested).reasons.join()).toMatch(/too deep/);
  });

  it('handles unterminated quotes without throwing', () => {
    expect(classifyCommand('echo "unterminated').risk).toBe('read-only');
    expect(classifyCommand("rm 'x").risk).toBe('mutating');
  });
});
