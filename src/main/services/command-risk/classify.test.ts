// The default-deny classifier on an adversarial table: read-only commands it must accept (the bundled
// runbooks' diagnostics among them) and commands that write or run code, each with the reason it must
// give. Every mutating row that can run harmlessly in a temp folder is run there with bash, and the
// folder must change: the table proves that what it calls mutating really changes something.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyCommand, initCommandRisk, MAX_CLASSIFIED_CHARS } from '.';
import { bashWasmPath } from './bash-parser';

/** Commands that only read. Install paths appear both double- and single-quoted (as the filled variables will be). */
const READ_ONLY: string[] = [
  // The bundled runbooks' checked steps, filled.
  `sqlite3 -readonly '/srv/aura/aura.db' "PRAGMA quick_check;"`,
  `sqlite3 -readonly "/srv/aura/aura.db" "PRAGMA journal_mode;"`,
  `sqlite3 -readonly '/srv/aura/aura.db' "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size();"`,
  `sqlite3 -readonly '/srv/aura/aura.db' "SELECT (SELECT COUNT(*) FROM ProjectStates), (SELECT COUNT(*) FROM JobQueue), (SELECT COUNT(*) FROM __EFMigrationsHistory);"`,
  `sqlite3 -readonly '/srv/aura/aura.db' "SELECT COUNT(*) FROM JobQueue WHERE Status IN ('Completed','Cancelled') AND CompletedAt < datetime('now', '-30 days');"`,
  `sqlite3 -readonly '/srv/aura/aura.db' "PRAGMA quick_check;" 2>&1 | head -n 20`,
  `sqlite3 -readonly -json aura.db "PRAGMA table_info(Jobs); SELECT name FROM sqlite_master"`,
  `sqlite3 -readonly aura.db .tables`,
  `sqlite3 -readonly aura.db ".schema ProjectStates"`,
  `sqlite3 -readonly aura.db <<'SQL'\nSELECT id FROM Jobs WHERE Status = 'Failed';\n.tables\nSQL`,
  `curl -sS --max-time 5 'http://127.0.0.1:5005/health/live'`,
  `curl -sS --max-time 10 -o /dev/null -w 'HTTP %{http_code}\\n' "http://127.0.0.1:5005/health/ready"`,
  `curl -sS --max-time 10 "http://127.0.0.1:5005/health/db" | grep -oE '"name":"Database","status":"[a-z]+","description":"[^"]*"'`,
  `curl -sI http://127.0.0.1:5005/ && curl -X GET http://127.0.0.1:5005/api/metrics/system | jq .`,
  `tail -n 20 '/srv/aura/logs/aura-api-20261206.log' | cut -c1-200`,
  `grep -c 'Cache get failed for key' "/srv/aura/logs/warnings-20261206.log"`,
  `grep -A1 -E 'Cache (get|set) failed for key' '/srv/aura/logs/w.log' | grep -oE '[A-Za-z.]+Exception: [^.]+' | sort | uniq -c`,
  `grep -hE 'Redis distributed cache configured' "/srv/aura/logs"/aura-api-*.log | tail -n 1 | cut -c1-160`,
  `grep -oE 'Request completed: [A-Z]+ [^ ]+ - 5[0-9]{2}' '/l/errors.log' | sort | uniq -c | sort -rn | head`,
  `grep -hoE '"PerformanceCategory":"[A-Za-z]+"' '/l/p.log' | sort | uniq -c | sort -rn`,
  `grep -hoE 'Performance: [A-Z]+ [^ ]+ completed in [0-9.]+ms' '/l/p.log' | sort -t' ' -k6 -g | tail -n 5`,
  `find /proc/[0-9]*/fd -lname '/srv/aura/aura.db'* 2>/dev/null | cut -d/ -f3 | sort -u | while read -r pid; do printf '%s %s\\n' "$pid" "$(tr '\\0' ' ' < /proc/$pid/cmdline)"; done`,
  `ls -l '/srv/aura/aura.db' '/srv/aura/aura.db-wal' '/srv/aura/aura.db-shm' 2>&1`,
  `ls "/srv/aura/logs" | sed -nE 's/^(aura-api|errors|warnings)-[0-9]{8}(_[0-9]{3})?\\.log$/\\1/p' | sort | uniq -c`,
  `ls -l '/srv/aura/logs' | grep -E -- '-20261206(_[0-9]{3})?\\.log$'`,
  `du -ch '/srv/aura/logs'/*.log | tail -n 1; ls -S '/srv/aura/logs' | head -n 5`,
  `tail -n 3000 '/l/a.log' | awk '/Incoming request:/ {i++} /Request completed:/ {c++} END {printf "incoming=%d completed=%d\\n", i, c}'`,
  `tail -n 500 '/l/a.log' | awk '/Incoming request:/ {open[$5]=$0} /Request completed:/ {delete open[$5]} END {for (k in open) print open[k]}' | cut -c1-200`,
  `aura-ops db check --db '/srv/aura/aura.db'`,
  `aura-ops logs stats --dir "/srv/aura/logs" --minutes 5`,
  `aura-ops logs search --dir '/srv/aura/logs' --family warnings --since 1h --count 'Cache get failed for key'`,
  `aura-ops logs search --dir '/l' --since 5m 'Incoming request:|Request completed:' | awk '/Incoming request:/ {open[$4]=$0} /Request completed:/ {delete open[$4]} END {for (k in open) print open[k]}' | cut -c1-200`,
  `aura-ops logs search --dir '/l' --family performance --since 1h --json 'Performance: ' | grep -oE '"PerformanceCategory":"[A-Za-z]+"' | sort | uniq -c | sort -rn`,
  `ls -l '/srv/aura/logs' | grep -E -- '-('20261205'|'20261206')(_[0-9]{3})?\.log$'`,
  `aura-ops terminal classify rm -rf /`,
  `redis-cli -h '127.0.0.1' -p '6379' ping`,
  `redis-cli -n 0 DBSIZE && redis-cli INFO memory && redis-cli CONFIG GET maxmemory`,
  `redis-cli --scan --pattern 'aura:*'`,
  `df -h '/srv/aura'`,
  `uptime; free -h; vmstat 1 5`,
  `ps aux | grep -E "Aura.Api|dotnet|redis-server" | grep -v grep`,
  `dotnet --list-runtimes; ffmpeg -version | head -n 1`,
  // The Health panel's shell equivalents of its probes.
  `curl -s -m 5 http://127.0.0.1:5005/health/ready`,
  `sqlite3 -readonly "/srv/aura/aura.db" "SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size(); PRAGMA quick_check;"`,
  `tail -n 100 "/srv/aura/logs/errors-$(date +%Y%m%d).log"`,
  `df -h "/srv/aura" "/srv/aura/logs"`,
  `ps aux | grep -E "(Aura.Api|dotnet|node|electron|redis-server|ffmpeg)" | grep -v grep`,
  `redis-cli -h 127.0.0.1 -p 6379 --askpass --tls ping`,
  // Install paths holding shell text, single-quoted as the filled variables are: one literal word each.
  `tail -n 20 '/srv/it'\\''s/aura-api.log'`,
  `sqlite3 -readonly '/srv/ev$(($(touch PWNED)0))/aura.db' "PRAGMA quick_check;"`,
  `df -h '/srv/a"; touch x; echo "b'`,
  // Other diagnostic shapes.
  `cat "$AURA_LOGS_PATH/aura-api-20250101.log"`,
  `ls -la "$AURA_DATA_PATH"`,
  `echo $AURA_API_URL \${AURA_DATA_PATH}`,
  `wc -l logs/*.log`,
  `LC_ALL=C grep -c "fatal" logs/aura-api-20250101.log`,
  `env LC_ALL=C sort logs/a.log | uniq -c`,
  `timeout 5 curl -s http://127.0.0.1:5005/health/live`,
  `time curl -s http://127.0.0.1:5005/health`,
  `date -u +%FT%TZ`,
  `hostname -f`,
  `mount | grep aura`,
  `sysctl vm.swappiness`,
  `nvidia-smi --query-gpu=name,memory.used --format=csv`,
  `history 20`,
  `stat -c %s aura.db-wal`,
  `systemctl status aura-api --no-pager`,
  `journalctl -u aura-api --since "1 hour ago" --no-pager`,
  `docker compose -f docker-compose.prod.yml logs api`,
  `find "/srv/aura/logs" -name "*.log" -mtime -1 -print`,
  `sed -n "1,20p" appsettings.json`,
  `tar -tzf backup.tar.gz`,
  `xxd -l 64 aura.db`,
  `echo x | tee`,
  `ls 2>/dev/null || echo "no logs"`,
  `grep error a.log 2>&1 | head >/dev/null`,
  `if [ -f aura.db ]; then stat aura.db; fi`,
  `for f in logs/*.log; do tail -n 5 "$f"; done`,
  `echo "$(date) $(uname -r)"`,
  `wget -qO- http://127.0.0.1:5005/health/live`,
  `/usr/bin/grep -c x a.log`,
  `echo "rm -rf / is dangerous"; echo 'a > b'; echo a\\>b`,
  `cat <<< "text"`,
  "cat <<'EOF'\n`touch F` $(touch F) ${x@P}\nEOF",
  'cat <<EOF\nplain \\`text\\` and $HOME\nEOF',
  `  # just a comment`,
  `df -h # the data folder, in human units`,
  ``,
  `ls\n\ndf -h`,
  `echo "tab\there"`,
];

/**
 * Commands that may change something: [command, the reason it must give, run?]. `run` rows are run
 * with bash in a temp folder holding in.txt, hook.sh (touches HOOK) and a.db, and must change it.
 */
const MUTATING: [string, RegExp, boolean?][] = [
  // Substitutions and expansions.
  ['echo $(( $(touch F) ))', /arithmetic expansion/, true],
  ['echo $[ $(touch F) ]', /./, true],
  ['echo "$(touch F)"', /touch creates files/, true],
  ['echo $(touch F)', /unquoted \$\(touch F\)/, true],
  ['echo `touch F`', /backquote/, true],
  ['echo "`touch F`"', /backquote/, true],
  ['x=\'$(touch F)\'; echo "${x@P}"', /parameter operator/, true],
  ['echo ${x:-$(touch F)}', /parameter operator/, true],
  ['echo ${x:=$(touch F)}', /parameter operator/, true],
  ['a=(); echo ${a[$(touch F)]}', /parameter operator|sets a shell variable/, true],
  ['echo ${#PATH}', /parameter operator/],
  ['echo ${!PATH}', /parameter operator/],
  ['cat <(touch F)', /process substitution/, true],
  ['echo >(touch F)', /process substitution/, true],
  ['cat <<EOF\n$(touch F)\nEOF', /touch creates files/, true],
  ['cat <<< "$(touch F)"', /touch creates files/, true],
  ['cat <<EOF\n`touch F`\nEOF', /the here-doc holds `/, true],
  ['cat <<EOF\n$[ $(touch F) ]\nEOF', /the here-doc holds \$\[|touch creates files|does not parse/, true],
  ['sqlite3 -readonly a.db <<EOF\nSELECT `touch F`;\nEOF', /the here-doc holds `/, true],
  ['echo "$(echo "$(echo "$(echo "$(echo "$(echo x)")")")")"', /too deep/],
  ['echo "$(ls | xargs touch)"', /xargs runs a command/],
  // The attacks on unquoted install variables (issue 14, item 1), as the classifier sees them.
  [
    'sqlite3 -readonly "ev$(($(touch F)0))/aura.db" "PRAGMA quick_check;"',
    /arithmetic expansion|does not parse/,
    true,
  ],
  [
    'sqlite3 -readonly "/x"; sed -n "w F" /etc/hostname; echo ""/aura.db "PRAGMA quick_check;"',
    /the command "w"/,
    true,
  ],
  // Subscripts that run commands: read, printf -v, [[ -v ]], test -v.
  ["read 'a[$(touch F)]' <<< x", /read sets/, true],
  ["printf -v 'a[$(touch F)]' %s x", /printf -v/, true],
  ['[[ -v a[$(touch F)] ]]', /\[\[/, true],
  ["test -v 'a[$(touch F)]'", /test -v/, true],
  ["[ -v 'a[$(touch F)]' ]", /\[ -v \]/, true],
  ['read PATH <<< /tmp', /read sets PATH/],
  ['read -r path <<< /tmp', /read sets path/],
  ['for PROMPT_COMMAND in "touch F"; do :; done', /the loop sets PROMPT_COMMAND/],
  ['for path in /tmp; do ls; done', /the loop sets path/],
  // Functions, aliases, shell state.
  ['ls() { touch F; }; ls', /defines a function/, true],
  ["shopt -s expand_aliases\nalias ls='touch F'\nls", /line 2: alias can make/, true],
  ['function grep { touch F; }; grep x in.txt', /defines a function/, true],
  ['unalias -a', /unalias/],
  ['set -o history', /changes the shell's behaviour/],
  ['export PAGER=cat', /export changes shell variables/],
  ['declare -x LESSOPEN="|touch F %s"', /declare changes shell variables/],
  ['unset PATH', /unset changes shell variables/],
  ['x=1', /sets a shell variable/],
  ['CMD=touch; $CMD F', /only known at run time/, true],
  ['cd /tmp', /changes the terminal's folder/],
  // Environment that makes a reader run code.
  ["PAGER='touch F' git -p log", /PAGER='touch F' sets the environment/],
  ["GIT_PAGER='touch F' git -p log", /GIT_PAGER=.* sets the environment/],
  ["LESSOPEN='|touch F %s' less in.txt", /LESSOPEN=.* sets the environment/],
  ['BASH_ENV=./hook.sh bash -c :', /BASH_ENV=.* sets the environment/, true],
  ["PROMPT_COMMAND='touch F'", /sets a shell variable/],
  ["env -S 'touch F'", /env -S/, true],
  ['env -i PATH=/usr/bin touch F', /env -i/, true],
  ['env BASH_ENV=./hook.sh bash -c :', /env BASH_ENV=.* sets the environment/, true],
  ['LC_ALL=/tmp/x grep x in.txt', /LC_ALL=\/tmp\/x sets the environment/],
  ['LD_PRELOAD=/tmp/x.so cat in.txt', /LD_PRELOAD/],
  ['TZ+=x date', /sets the environment/],
  // Options of reading tools that write or run.
  ["sed -n 'w F' in.txt", /the command "w"/, true],
  ["sed '1e touch F' in.txt", /the command "e"/, true],
  ["sed 's/line/x/w F' in.txt", /flags "w"/, true],
  ["sed 's/line/touch F/e' in.txt", /flags "e"/, true],
  ["sed -i 's/line1/x/' in.txt", /sed -i is not an option/, true],
  ['sed -f script.sed in.txt', /sed -f/],
  ["sed {-n,'w F'} in.txt", /brace expansion/, true],
  ["sed -n '1r /etc/hostname' in.txt", /the command "r"/],
  ['awk \'BEGIN { system("touch F") }\'', /"system" can run a command/, true],
  ['awk \'BEGIN { "touch F" | getline x }\'', /can run a command/, true],
  ['awk \'{ print > "F" }\' in.txt', /print with ">"/, true],
  ['awk \'{ print | "cat > F" }\' in.txt', /can run a command/, true],
  ['awk -f prog.awk in.txt', /awk -f/],
  ['awk \'@load "filefuncs"; BEGIN {}\'', /can run a command/],
  ["tar --checkpoint=1 --checkpoint-action=exec='touch F' -cf /dev/null in.txt", /--checkpoint/, true],
  ['tar -cf F in.txt', /tar -c|without -t/, true],
  ['tar -tf host:archive.tar', /rsh/],
  ["tar -tf x.tar --to-command='touch F'", /--to-command/],
  ['git log --output=F', /git runs programs/],
  ["git -c core.pager='touch F' -p log", /git runs programs/],
  ['git status', /core.fsmonitor/],
  ['curl -D F http://127.0.0.1:5005/', /curl -D is not an option/],
  ['curl -c F http://127.0.0.1:5005/', /curl -c is not an option/],
  ['curl -s --trace F file:///etc/hostname', /--trace is not an option/, true],
  ['curl -K cfg http://127.0.0.1:5005/', /curl -K/],
  ['curl -o F file:///etc/hostname', /writes a file/, true],
  ['curl -sSLo F file:///etc/hostname', /writes a file/, true],
  ['curl -O http://127.0.0.1:5005/x.zip', /curl -O/],
  ['curl -X POST http://127.0.0.1:5005/api/system/shutdown', /sends a request/],
  ['curl -XDELETE http://127.0.0.1:5005/api/x', /sends a request/],
  ['curl -d "{}" http://127.0.0.1:5005/api/jobs', /curl -d/],
  ['curl --data-binary @f http://x', /--data-binary/],
  ['curl gopher://127.0.0.1:6379/_FLUSHALL', /only http/],
  ['curl "$URL"', /only known at run time/],
  ["curl -w '%output{F}' http://127.0.0.1:5005/", /may write to a file/],
  ['wget --post-data=x http://127.0.0.1:5005/', /--post-data/],
  ['wget http://127.0.0.1:5005/x.zip', /saves what it fetches/],
  ['wget -O F http://127.0.0.1:5005/', /saves what it fetches/],
  ['xxd -r in.hex F', /xxd -r/],
  ['xxd in.txt F', /xxd writes its second operand/, true],
  ['strace -o F true', /strace runs a program/, true],
  ['history -w F', /history -w F changes or writes/, true],
  ['history -c', /changes or writes the shell history/],
  ["sqlite3 -readonly a.db \"SELECT writefile('F','x')\"", /writefile\(\)/, true],
  ['sqlite3 -readonly a.db "SELECT \\"writefile\\"(\'F\',\'x\')"', /writefile\(\)/, true],
  ['sqlite3 -readonly a.db "VACUUM INTO \'F\'"', /VACUUM is not a query/, true],
  ['sqlite3 -readonly a.db "WITH x AS (SELECT 1) SELECT 1 INTO y"', /INTO/],
  ['sqlite3 -readonly a.db ".output F" "SELECT 1"', /\.output/, true],
  ['sqlite3 -readonly a.db ".once F" "SELECT 1"', /\.once/, true],
  ['sqlite3 -readonly a.db ".shell touch F"', /\.shell/, true],
  ['sqlite3 -readonly a.db ".system touch F"', /\.system/, true],
  ["sqlite3 -readonly a.db <<'SQL'\n.once F\nSELECT 1;\nSQL", /\.once/, true],
  ['sqlite3 -readonly a.db "SELECT load_extension(\'x\')"', /load_extension/],
  ['sqlite3 -readonly a.db "ATTACH \'F\' AS f"', /ATTACH is not a query/],
  ['sqlite3 -readonly a.db "PRAGMA journal_mode=DELETE"', /sets a pragma/],
  ['sqlite3 -readonly a.db "PRAGMA wal_checkpoint(TRUNCATE)"', /PRAGMA wal_checkpoint is not a pragma/],
  ['sqlite3 -readonly a.db "SELECT 1; DELETE FROM t"', /DELETE is not a query/],
  ['sqlite3 a.db "SELECT 1"', /without -readonly/],
  ['sqlite3 a.db "INSERT INTO t VALUES (2)"', /INSERT is not a query/, true],
  ['sqlite3 -readonly a.db', /without SQL reads commands/],
  ['echo "DELETE FROM t;" | sqlite3 -readonly a.db', /without SQL reads commands/],
  ['sqlite3 -readonly a.db < fix.sql', /without SQL reads commands/],
  ['sqlite3 -readonly -cmd ".shell touch F" a.db "SELECT 1"', /-cmd runs/, true],
  ['sqlite3 -readonly a.db "$SQL"', /only known at run time/],
  ['redis-cli FLUSHALL', /FLUSHALL is not known/],
  ['redis-cli CONFIG SET dir /tmp', /CONFIG SET is not known/],
  ['redis-cli', /interactive/],
  ['redis-cli --eval x.lua', /--eval/],
  ['redis-cli -x SET k', /redis-cli -x/],
  // System tools with side effects.
  ['sudo date -s "2020-01-01"', /sudo runs a command as root/],
  ['date -s "2020-01-01"', /date -s/],
  ['date 010100002020', /sets the system clock/],
  ['hostname evil', /sets the host name/],
  ['hostname -F /etc/x', /hostname -F/],
  ['mount -a', /mount -a/],
  ['mount /dev/sda1 /mnt', /mounts a file system/],
  ['sysctl --system', /sysctl --system/],
  ['sysctl -w vm.swappiness=1', /sysctl -w/],
  ['sysctl vm.swappiness=1', /changes a kernel setting/],
  ['nvidia-smi -r', /nvidia-smi -r/],
  ['nvidia-smi -pm 1', /nvidia-smi -p/],
  ['systemctl restart aura-api', /changes services/],
  ['journalctl --vacuum-time=2d', /--vacuum-time/],
  ['docker compose down', /changes containers/],
  ['docker rm -f aura-api', /docker rm/],
  ['dotnet ef database update', /may build/],
  ['ffmpeg -i in.mp4 out.mp4', /ffmpeg -i/],
  ['ffprobe -report in.mp4', /ffprobe -report/],
  ['aura-ops db backup --db aura.db --out /tmp/x.db', /aura-ops db backup/],
  ['aura-ops bundle --out /tmp/b.zip', /aura-ops bundle/],
  ['aura-ops report abc --out r.md', /--out writes a file/],
  // find, sort, tee, xargs, uniq.
  ['find . -name in.txt -delete', /-delete/, true],
  ['find . -name in.txt -exec touch F \\;', /-exec/, true],
  ['find . -name in.txt -execdir touch F \\;', /-execdir/, true],
  ['find . -fprint F', /-fprint/, true],
  ['find . -name in.txt -fprintf F %p', /-fprintf/, true],
  ['find . -ok rm {} \\;', /-ok|brace/],
  ['find $DIR -name x', /may turn into an expression/],
  ['sort -o F in.txt', /sort -o/, true],
  ['sort --output=F in.txt', /sort --output/, true],
  ["sort --compress-program='touch F' in.txt", /--compress-program/],
  ['ls | tee F', /tee writes to F/, true],
  ['echo x |& tee -a F', /tee writes/, true],
  ['echo F | xargs touch', /xargs runs a command/, true],
  ['uniq in.txt F', /uniq writes its second operand/, true],
  // Redirection.
  ['echo hi > F', /writes to F \(>\)/, true],
  ['echo hi >> in.txt', /writes to in\.txt \(>>\)/, true],
  ['ls &> F', /writes to F \(&>\)/, true],
  ['ls >| F', /writes to F \(>\|\)/, true],
  ['grep x in.txt 2> F', /writes to F \(>\)/, true],
  ['ls >& F', /writes to F \(>&\)/, true],
  ['> F', /writes to F/, true],
  ['exec 3> F', /exec replaces the shell/, true],
  ['cat in.txt 1<> F', /does not parse|not known to only read/],
  ['echo x > /dev/tcp/127.0.0.1/6379', /writes to \/dev\/tcp/],
  ['echo x > "$OUT"', /writes to "\$OUT"/],
  // Tools, paths and wrappers.
  ['touch F', /touch creates files/, true],
  ['rm -f in.txt', /rm removes files/, true],
  ['mv in.txt F', /mv moves/, true],
  ['cp in.txt F', /cp copies/, true],
  ['mkdir D', /mkdir creates folders/, true],
  ['chmod 600 in.txt', /chmod changes permissions/, true],
  ['ln -s in.txt F', /ln creates links/, true],
  ['dd if=in.txt of=F', /dd writes/, true],
  ['truncate -s 0 in.txt', /truncate cuts files/, true],
  ['"touch" F', /touch creates files/, true],
  ["t'ouch' F", /touch creates files/, true],
  ['\\touch F', /touch creates files/, true],
  ['/usr/bin/touch F', /touch creates files/, true],
  ['./hook.sh', /not a system tool/, true],
  ['bash -c "touch F"', /bash starts a shell/, true],
  ["sh -c 'touch F'", /sh starts a shell/, true],
  ["eval 'touch F'", /eval runs text/, true],
  ['source ./hook.sh', /source runs a script/, true],
  ['. ./hook.sh', /runs a script in this shell/, true],
  ['command touch F', /command runs a command/, true],
  ['timeout 5 touch F', /touch creates files/, true],
  ['time touch F', /touch creates files/, true],
  ['nohup tail -f x', /nohup writes nohup\.out/],
  ['sudo -u aura cat /etc/shadow', /sudo/],
  ["python3 -c \"open('F','w')\"", /"python3" is not on the list/, true],
  ['perl -e \'open(my $f, ">", "F")\'', /"perl" is not on the list/, true],
  ['less in.txt', /pager/],
  // Lists, loops, groups: any part mutating makes the whole mutating.
  ['ls; touch F', /touch creates files/, true],
  ['ls && touch F', /touch creates files/, true],
  ['false || touch F', /touch creates files/, true],
  ['ls | touch F', /touch creates files/, true],
  ['(touch F)', /touch creates files/, true],
  ['{ touch F; }', /touch creates files/, true],
  ['! touch F', /touch creates files/, true],
  ['if true; then touch F; fi', /touch creates files/, true],
  ['for i in 1; do touch F; done', /touch creates files/, true],
  ['while false; do :; done; touch F', /touch creates files/, true],
  ['case x in x) touch F;; esac', /case statement/, true],
  ['for ((i=0;i<1;i++)); do touch F; done', /c style for statement|only `for NAME in WORDS`/, true],
  ['ls &\ntouch F', /line 2: touch creates files/, true],
  ['echo ok\ntouch F', /line 2: touch creates files/, true],
  // Words bash expands beyond what is written.
  ['ls # $(touch F)', /zsh runs as a command/],
  ['df -h\n# then: touch F; ls', /line 2: the comment/],
  ['echo !!', /history expansion/],
  ['echo "!-1"', /history expansion/],
  ['ls *(e:touch F:)', /unquoted parentheses|does not parse completely/],
  ['ls =(touch F)', /unquoted parentheses|does not parse completely/],
  ['echo {a,b}', /brace expansion/],
  ['find *', /may turn into an expression/],
  ["echo $'\\x41'", /escapes other than/],
  ['echo "unterminated', /does not parse completely/],
  ["rm 'x", /does not parse completely/],
  ['echo )', /does not parse completely/],
];

let dir: string;

function snapshot(root: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      h.update(`${path.relative(root, p)}|${st.mode}|${st.size}|`);
      if (st.isFile()) h.update(fs.readFileSync(p));
      if (st.isDirectory()) walk(p);
    }
  };
  walk(root);
  return h.digest('hex');
}

/** A fresh folder for one run: in.txt, hook.sh (creates HOOK), a.db with one table. */
function freshFolder(): string {
  const d = fs.mkdtempSync(path.join(dir, 'run-'));
  fs.writeFileSync(path.join(d, 'in.txt'), 'line1\nline2\n');
  fs.writeFileSync(path.join(d, 'hook.sh'), '#!/bin/sh\ntouch HOOK\n', { mode: 0o755 });
  const made = spawnSync('sqlite3', [path.join(d, 'a.db'), 'CREATE TABLE t(x); INSERT INTO t VALUES (1);']);
  if (made.status !== 0) throw new Error(`sqlite3 could not make a.db: ${made.stderr.toString()}`);
  return d;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'command-risk-'));
  await initCommandRisk();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('classifyCommand: the adversarial table', () => {
  it('holds at least 150 commands, no duplicates, most of the writers proven by running them', () => {
    const all = [...READ_ONLY, ...MUTATING.map(([c]) => c)];
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(new Set(all).size).toBe(all.length);
    expect(MUTATING.filter(([, , run]) => run).length).toBeGreaterThanOrEqual(100);
  });

  it.each(READ_ONLY)('read-only: %s', async (cmd) => {
    const r = await classifyCommand(cmd);
    expect(r.reasons).toEqual([]);
    expect(r.risk).toBe('read-only');
  });

  it.each(MUTATING)('mutating: %s', async (cmd, reason) => {
    const r = await classifyCommand(cmd);
    expect(r.risk).toBe('mutating');
    expect(r.reasons.join(' | ')).toMatch(reason);
  });

  const runnable = MUTATING.filter(([, , run]) => run).map(([cmd]) => cmd);
  it.each(runnable)('really changes something when bash runs it: %s', (cmd) => {
    const d = freshFolder();
    const before = snapshot(d);
    // SHLVL set: with it unset and stdin a socket (as node gives), bash behaves as if started by sshd.
    const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: d, LANG: 'C.UTF-8', SHLVL: '1' };
    const r = spawnSync('bash', ['-c', cmd], { cwd: d, env, timeout: 20_000, input: '' });
    expect(r.error).toBeUndefined();
    expect(
      snapshot(d),
      `${cmd} left the folder unchanged (exit ${r.status}: ${r.stderr.toString().slice(0, 300)})`,
    ).not.toBe(before);
  });
});

describe('classifyCommand: control characters and lines', () => {
  it('asks for any C0 control but TAB and LF, and shows it escaped', async () => {
    for (const [cmd, shownAs] of [
      ['echo hi\rtouch X', '\\r'],
      ['echo checking disk\x0ftouch X', '^O'],
      ['ls\x1b[2K', '^['],
      ['ls\x00', '^@'],
      ['ls\x7f', '^?'],
      ['echo \u202eiloveyou', '\\u{202E}'],
    ]) {
      const r = await classifyCommand(cmd);
      expect(r.risk, JSON.stringify(cmd)).toBe('mutating');
      expect(r.reasons[0]).toContain(`control character ${shownAs}`);
    }
    expect((await classifyCommand('echo "a\tb"')).risk).toBe('read-only');
  });

  it('classifies every line of a multi-line command', async () => {
    expect((await classifyCommand('df -h\nfree -m\nuptime')).risk).toBe('read-only');
    const r = await classifyCommand('df -h\nfree -m\nrm -rf Temp\nuptime');
    expect(r.reasons).toEqual(['line 3: rm removes files']);
  });

  it('asks for text too long to check, and answers fast for text at the limit', async () => {
    expect((await classifyCommand('echo ' + 'a'.repeat(MAX_CLASSIFIED_CHARS))).reasons[0]).toMatch(
      /too long to check/,
    );
    const line = `grep -c x '/srv/aura/logs/a.log' | sort\n`;
    const big = line.repeat(Math.floor(MAX_CLASSIFIED_CHARS / line.length));
    const t0 = performance.now();
    expect((await classifyCommand(big)).risk).toBe('read-only');
    // Generous bound for a loaded machine; a typical step takes well under 5 ms.
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('asks for a comment holding shell syntax, which an interactive zsh runs', async () => {
    const cmd = 'echo x # $(touch F)';
    expect((await classifyCommand(cmd)).reasons).toEqual([
      'the comment # $(touch F) holds shell syntax, which zsh runs as a command',
    ]);
    const d = freshFolder();
    const r = spawnSync('zsh', ['-f', '-i'], {
      cwd: d,
      input: `${cmd}\nexit\n`,
      env: { PATH: '/usr/bin:/bin', HOME: d },
      timeout: 20_000,
    });
    expect(r.error).toBeUndefined();
    expect(fs.existsSync(path.join(d, 'F'))).toBe(true);
  });

  it('asks, without throwing, for nesting too deep to walk', async () => {
    const arithmetic = await classifyCommand(`${'('.repeat(4000)}ls${')'.repeat(4000)}`);
    expect(arithmetic.risk).toBe('mutating');
    const subshells = await classifyCommand(`${'( '.repeat(4000)}ls${' )'.repeat(4000)}`);
    expect(subshells.reasons.join()).toMatch(/too deep/);
    const ifs = `${'if true; then '.repeat(100)}ls${'; fi'.repeat(100)}`;
    expect((await classifyCommand(ifs)).reasons).toEqual([
      `groups or loops nested more than 64 deep are too deep to check`,
    ]);
  });

  it('finds the grammar through the package resolver', () => {
    expect(fs.existsSync(bashWasmPath())).toBe(true);
  });
});
