#!/usr/bin/env bash
# tests/run.sh - build ControlPlane and run all of its test projects against a
# throwaway PostgreSQL. CI runs it through .ci/run; developers can run it too.
#
#   tests/run.sh                                   # everything
#   tests/run.sh --filter "FullyQualifiedName~Jobs" # extra args go to `dotnet test`
#
# What it does:
#   1. installs missing Debian packages (postgresql, chromium, fonts-liberation)
#   2. dotnet build ControlPlane.sln -c Debug (once)
#   3. starts PostgreSQL on a free 127.0.0.1 port in a temp dir (stopped and
#      deleted on every exit path: success, failure, Ctrl-C)
#   4. dotnet test --no-build with TRX results in TestResults/ (cleared first)
#   5. sums the TRX counters; the LAST line printed is always
#        tests: N passed, N failed, N skipped
#      and the exit code is non-zero if the build or dotnet test failed, a test
#      failed, or no test ran at all.
#
# Exported to the tests:
#   CONTROLPLANE_TEST_PG="Host=127.0.0.1;Port=<port>;Username=postgres;Database=postgres"
#   CONTROLPLANE_CHROMIUM=/usr/bin/chromium
#
# Optional knobs: CONTROLPLANE_TEST_HANG_TIMEOUT (per-test hang limit given to
# --blame-hang-timeout, default 10m).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

SLN=ControlPlane.sln
CONFIG=Debug                      # the one configuration used for build and test
RESULTS_DIR="$ROOT/TestResults"
HANG_TIMEOUT="${CONTROLPLANE_TEST_HANG_TIMEOUT:-10m}"
CHROMIUM=/usr/bin/chromium

export DEBIAN_FRONTEND=noninteractive
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export MSBUILDDISABLENODEREUSE=1          # leave no MSBuild worker nodes running afterwards
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1  # never download browsers; Debian's chromium is used
export CONTROLPLANE_CHROMIUM="$CHROMIUM"

# ---------------------------------------------------------------- helpers
now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }
since() { local d=$((($(now_us) - $1) / 100000)); printf '%d.%ds' $((d / 10)) $((d % 10)); }
log() { printf '[run.sh %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
T_START=$(now_us)

SUMMARY_DONE=0
PG_TMP=""     # temp dir holding data dir, socket and log; "" when no server
PG_DATA=""
PG_BIN=""
PG_PORT=""
PG_TIMES=""

# PostgreSQL tools run as the postgres user (initdb refuses root); as is when not root.
AS_PG=()
((EUID != 0)) || AS_PG=(runuser -u postgres --)

# Stop the throwaway server (if any) and delete its temp dir. Silent, idempotent.
stop_pg() {
    [[ -n "$PG_TMP" ]] || return 0
    local pid="" i
    if [[ -f "$PG_DATA/postmaster.pid" ]]; then
        pid=$(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
        [[ "$pid" =~ ^[0-9]+$ ]] || pid=""
        (cd / && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop) \
            >/dev/null 2>&1 </dev/null || true
    fi
    # belt and braces: if the postmaster survived, kill it; then wait until it is gone
    if [[ -n "$pid" ]] && [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == postgres ]]; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    for i in $(seq 1 50); do
        [[ -n "$pid" && -d "/proc/$pid" ]] || break
        [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)" != Z ]] || break # exited, parent reaps it
        sleep 0.1
    done
    rm -rf "$PG_TMP"
    PG_TMP=""
}

on_exit() {
    local rc=$?
    trap - EXIT INT TERM HUP ERR
    stop_pg
    if ((!SUMMARY_DONE)); then
        ((rc != 0)) || rc=1
        echo "run.sh: FAILED: stopped (exit $rc) before the tests finished"
        echo "tests: 0 passed, 0 failed, 0 skipped"
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'echo "run.sh: interrupted"; exit 130' INT
trap 'echo "run.sh: terminated"; exit 143' TERM HUP
trap 'echo "run.sh: command failed (line $LINENO): $BASH_COMMAND"' ERR

die() { echo "run.sh: $*"; exit 1; }

# ---------------------------------------------------------------- 1. packages
pkg_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

find_pg_bin() {
    local d
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
            echo "$d"
            return 0
        fi
    fi
    while IFS= read -r d; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
            echo "$d"
            return 0
        fi
    done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -rV)
    return 1
}

# Run apt-get, waiting while another apt/dpkg holds its locks (up to ~15 min).
apt_get() {
    local out attempt
    for attempt in $(seq 1 90); do
        if out=$(apt-get -q -y -o DPkg::Lock::Timeout=60 "$@" 2>&1 </dev/null); then
            return 0
        fi
        if grep -qiE 'could not get lock|unable to (acquire|lock)|is another process using it|held by process' <<<"$out"; then
            ((attempt % 6 == 1)) && log "apt/dpkg is busy (another apt-get running?); waiting for its lock"
            sleep 10
            continue
        fi
        if grep -qi 'dpkg was interrupted' <<<"$out"; then
            dpkg --configure -a >/dev/null 2>&1 </dev/null || true
            continue
        fi
        printf '%s\n' "$out" | tail -n 30
        return 1
    done
    printf '%s\n' "$out" | tail -n 30
    return 1
}

t=$(now_us)
command -v dotnet >/dev/null 2>&1 || die "dotnet SDK not found on PATH"
missing=()
find_pg_bin >/dev/null || missing+=(postgresql)
[[ -x "$CHROMIUM" ]] || missing+=(chromium)
pkg_installed fonts-liberation || missing+=(fonts-liberation)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if ((${#missing[@]})); then
    ((EUID == 0)) || die "missing packages (${missing[*]}) and not root: install them first"
    log "installing ${missing[*]} (apt-get)"
    apt_get update || die "apt-get update failed"
    apt_get install --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed"
    if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_lsclusters >/dev/null 2>&1; then
        # Debian's package may have started its default cluster; we only use our own server.
        while read -r ver name _; do
            pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 </dev/null || true
        done < <(pg_lsclusters -h 2>/dev/null | awk '$4 == "online"')
    fi
fi
PG_BIN=$(find_pg_bin) || die "PostgreSQL server binaries (initdb, pg_ctl) not found"
[[ -x "$CHROMIUM" ]] || die "$CHROMIUM not found after install"
((EUID != 0)) || id -u postgres >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
log "prerequisites ok in $(since "$t"): dotnet $(dotnet --version), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') in $PG_BIN, $CHROMIUM"

# ---------------------------------------------------------------- 2. build
rm -rf "$RESULTS_DIR" # results of this run only
mkdir -p "$RESULTS_DIR"
t=$(now_us)
log "building $SLN ($CONFIG)"
build_rc=0
dotnet build "$SLN" -c "$CONFIG" -nologo -v minimal </dev/null || build_rc=$?
log "build finished in $(since "$t") (exit $build_rc)"

# ---------------------------------------------------------------- 3. PostgreSQL
# A port below the kernel's ephemeral range (32768+) that nothing listens on.
free_port() {
    python3 - <<'PY'
import random, socket
for _ in range(200):
    port = random.randint(15432, 32000)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free port found")
PY
}

start_pg() {
    local t0
    t0=$(now_us)
    # /tmp, not $TMPDIR: the postgres user must be able to reach it, and the socket path stays short
    PG_TMP=$(mktemp -d /tmp/controlplane-pg.XXXXXX) || return 1
    PG_DATA="$PG_TMP/data"
    if ((EUID == 0)); then chown postgres:postgres "$PG_TMP" || return 1; fi
    chmod 700 "$PG_TMP"
    if ! (cd "$PG_TMP" && "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres \
        -E UTF8 --locale=C.UTF-8 --no-sync) >"$PG_TMP/initdb.log" 2>&1 </dev/null; then
        tail -n 20 "$PG_TMP/initdb.log"
        return 1
    fi
    PG_TIMES="initdb $(since "$t0")"
    # Everyone is trusted on loopback except cp_password_user, which must give its password: the SQL-source tests
    # need a server that can refuse a wrong one. pg_hba.conf is read top down, so the line goes first.
    { echo "host all cp_password_user 127.0.0.1/32 scram-sha-256"; cat "$PG_DATA/pg_hba.conf"; } >"$PG_TMP/pg_hba.conf" \
        && cat "$PG_TMP/pg_hba.conf" >"$PG_DATA/pg_hba.conf" || return 1
    cat >>"$PG_DATA/postgresql.conf" <<EOF

# ---- throwaway test server (tests/run.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_TMP'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
EOF
    local attempt i
    for attempt in 1 2 3; do
        PG_PORT=$(free_port) || return 1
        t0=$(now_us)
        # setsid: Ctrl-C in the terminal must not reach the server; the EXIT trap stops it.
        if (cd "$PG_TMP" && setsid -w "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" \
            -l "$PG_TMP/postgres.log" -o "-p $PG_PORT" -w -t 60 start) >/dev/null 2>&1 </dev/null; then
            for i in $(seq 1 300); do
                if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres; then
                    PG_TIMES+=", start $(since "$t0")"
                    return 0
                fi
                sleep 0.1
            done
            log "PostgreSQL did not become ready on port $PG_PORT"
        else
            log "PostgreSQL failed to start on port $PG_PORT (attempt $attempt)"
        fi
        tail -n 15 "$PG_TMP/postgres.log" 2>/dev/null || true
        (cd / && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop) >/dev/null 2>&1 </dev/null || true
    done
    return 1
}

# ---------------------------------------------------------------- 4. tests
test_rc=0
if ((build_rc == 0)); then
    t=$(now_us)
    start_pg || die "could not start PostgreSQL"
    export CONTROLPLANE_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
    log "PostgreSQL ready on 127.0.0.1:$PG_PORT in $(since "$t") ($PG_TIMES); CONTROLPLANE_TEST_PG=$CONTROLPLANE_TEST_PG"

    t=$(now_us)
    log "running dotnet test${*:+ (extra args: $*)}; hang timeout per test $HANG_TIMEOUT"
    # One test assembly at a time (-m:1): on two cores, browser journeys running beside the integration tests of
    # both providers starve each other's timeouts; sequential assemblies cost a minute and remove that flakiness.
    dotnet test "$SLN" -c "$CONFIG" --no-build --nologo -m:1 \
        --results-directory "$RESULTS_DIR" \
        --logger trx --logger "console;verbosity=minimal" \
        --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none \
        "$@" </dev/null || test_rc=$?
    log "dotnet test finished in $(since "$t") (exit $test_rc)"

    t=$(now_us)
    stop_pg
    log "PostgreSQL stopped and temp dir removed in $(since "$t")"
fi

# ---------------------------------------------------------------- 5. summary
# Prints per-assembly lines and failed test names, then "COUNTS passed failed skipped files bad".
parse_trx() {
    python3 - "$RESULTS_DIR" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

results = sys.argv[1]
files = sorted(glob.glob(os.path.join(results, "**", "*.trx"), recursive=True))
tp = tf = ts = bad = 0
failed_names = []

def local(tag):
    return tag.rsplit("}", 1)[-1]

for path in files:
    rel = os.path.relpath(path, results)
    try:
        root = ET.parse(path).getroot()
    except Exception as e:  # truncated file from a crashed run, etc.
        print(f"  {rel}: unreadable TRX ({e})")
        bad += 1
        continue
    counters = next((e for e in root.iter() if local(e.tag) == "Counters"), None)
    if counters is None:
        print(f"  {rel}: no ResultSummary/Counters")
        bad += 1
        continue
    n = lambda k: int(counters.get(k) or 0)
    p = n("passed") + n("passedButRunAborted")
    f = n("failed") + n("error") + n("timeout") + n("aborted")
    # VSTest leaves notExecuted at 0 for skipped tests; they are total - executed.
    s = max(n("total") - p - f, n("notExecuted") + n("notRunnable") + n("inconclusive"))
    tp, tf, ts = tp + p, tf + f, ts + s
    summary = next((e for e in root.iter() if local(e.tag) == "ResultSummary"), None)
    outcome = summary.get("outcome", "?") if summary is not None else "?"
    code = next((e.get("codeBase") for e in root.iter() if local(e.tag) == "TestMethod" and e.get("codeBase")), None)
    name = os.path.splitext(os.path.basename(code))[0] if code else rel
    print(f"  {name}: {p} passed, {f} failed, {s} skipped (total {n('total')}, outcome {outcome})")
    for r in root.iter():
        if local(r.tag) == "UnitTestResult" and r.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
            failed_names.append(f"{name}: {r.get('testName')}")

# A hung (--blame-hang-timeout) or crashed test host leaves no TRX result for the
# test it was running; the blame collector's Sequence file names it (Completed="False").
seen = {fn.split(": ", 1)[1] for fn in failed_names}
for path in sorted(glob.glob(os.path.join(results, "**", "Sequence_*.xml"), recursive=True)):
    try:
        seq = ET.parse(path).getroot()
    except Exception:
        continue
    for t in seq.iter("Test"):
        if t.get("Completed") == "False":
            test = t.get("DisplayName") or t.get("Name") or "?"
            if test in seen:
                continue
            seen.add(test)
            asm = os.path.splitext(os.path.basename(t.get("Source") or "?"))[0]
            print(f"  {asm}: {test} did not finish (test host hung or crashed); counted as failed")
            failed_names.append(f"{asm}: {test} (hung or crashed)")
            tf += 1

if failed_names:
    print(f"failed tests ({len(failed_names)}):")
    for fn in failed_names[:50]:
        print(f"  FAILED {fn}")
    if len(failed_names) > 50:
        print(f"  ... and {len(failed_names) - 50} more")
print(f"COUNTS {tp} {tf} {ts} {len(files)} {bad}")
PY
}

passed=0 failed=0 skipped=0 ntrx=0 badtrx=0
reasons=()
if ((build_rc != 0)); then
    reasons+=("build failed (dotnet build exit $build_rc)")
else
    parse_out=$(parse_trx) || reasons+=("could not parse TRX results in $RESULTS_DIR")
    if [[ -n "${parse_out:-}" ]]; then
        log "results (TRX files in ${RESULTS_DIR#"$ROOT"/}):"
        printf '%s\n' "$parse_out" | sed '$d'
    fi
    last=$(printf '%s\n' "${parse_out:-}" | tail -n1)
    if [[ "$last" =~ ^COUNTS\ ([0-9]+)\ ([0-9]+)\ ([0-9]+)\ ([0-9]+)\ ([0-9]+)$ ]]; then
        passed=${BASH_REMATCH[1]} failed=${BASH_REMATCH[2]} skipped=${BASH_REMATCH[3]}
        ntrx=${BASH_REMATCH[4]} badtrx=${BASH_REMATCH[5]}
    else
        reasons+=("TRX summary incomplete")
    fi
    ((badtrx == 0)) || reasons+=("$badtrx TRX file(s) unreadable")
    ((test_rc == 0)) || reasons+=("dotnet test exited with $test_rc (failed tests, a crashed or hung test host, or bad arguments: see output above)")
    ((failed == 0)) || reasons+=("$failed test(s) failed")
    ((passed + failed > 0)) || reasons+=("no test ran ($ntrx TRX file(s) found)")
fi

if [[ -n "${CI:-}" ]]; then
    # CI: leave no compiler/MSBuild server running after the job (developers keep theirs warm)
    dotnet build-server shutdown >/dev/null 2>&1 </dev/null || true
fi
log "total time $(since "$T_START")"
rc=0
if ((${#reasons[@]})); then
    rc=1
    for r in "${reasons[@]}"; do echo "run.sh: FAILED: $r"; done
fi
SUMMARY_DONE=1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$rc"
