#!/usr/bin/env bash
# Start a real single-node SLURM cluster on this machine, with accounting:
# munge -> mariadb -> slurmdbd -> slurmctld -> slurmd. The Snakemake SLURM
# executor then submits with sbatch and polls with sacct as on a real cluster.
#
# Needs root and the Debian packages slurmctld slurmd slurm-client munge
# slurmdbd mariadb-server (`make slurm` installs them and runs this script).
# There is no systemd here: the daemons run in the background, their PIDs in
# $STATE_DIR/*.pid; tests/slurm/stop_cluster.sh stops them.
#
# Idempotent: exits at once when `sinfo` already reaches a cluster with an
# idle node. Exits non-zero with a message when the cluster cannot start.
#
# Environment: CTC_SLURM_STATE (state, spool, logs; default /var/lib/ctc-slurm),
# CTC_SLURM_CLUSTER (cluster name; default ctc).
set -euo pipefail

STATE_DIR=${CTC_SLURM_STATE:-/var/lib/ctc-slurm}
CLUSTER=${CTC_SLURM_CLUSTER:-ctc}
CONF_DIR=/etc/slurm
MARKER="# written by ctc-profiler tests/slurm/start_cluster.sh"
DB_NAME=slurm_acct_db
DB_USER=slurm

fail() {
    echo "start_cluster.sh: $*" >&2
    exit 1
}
say() { echo "start_cluster.sh: $*"; }

cluster_answers() {
    timeout 10 sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'
}

# running(pidfile): is the daemon whose PID the file holds alive?
running() {
    [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# wait_for(seconds, description, command...): poll until the command succeeds
wait_for() {
    local seconds=$1 what=$2
    shift 2
    for _ in $(seq 1 "$((seconds * 2))"); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    return 1
}

if command -v sinfo >/dev/null 2>&1 && cluster_answers; then
    say "a SLURM cluster already answers sinfo; nothing to do"
    sinfo
    exit 0
fi

[ "$(id -u)" = 0 ] || fail "must run as root (daemons, /etc/slurm); run 'sudo $0' or 'make slurm'"
missing=""
for tool in munged mungekey mariadbd mariadb slurmdbd slurmctld slurmd sinfo sacct sacctmgr scontrol; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing="$missing $tool"
done
[ -z "$missing" ] || fail "missing:$missing; install the Debian packages slurmctld slurmd slurm-client munge slurmdbd mariadb-server ('make slurm' does)"
export PATH=/usr/sbin:$PATH

if [ -e "$CONF_DIR/slurm.conf" ] && ! grep -qF "$MARKER" "$CONF_DIR/slurm.conf"; then
    fail "$CONF_DIR/slurm.conf exists and was not written by this script, but no cluster answers sinfo; start that cluster or move the file away"
fi

install -d -m 755 "$STATE_DIR" "$STATE_DIR/ctld" "$STATE_DIR/d" "$STATE_DIR/log" "$STATE_DIR/run"
LOG=$STATE_DIR/log
RUN=$STATE_DIR/run

# ------------------------------------------------------------------ munge
install -d -o munge -g munge -m 755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
fi
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged --force \
        || fail "munged did not start; see /var/log/munge/munged.log"
    wait_for 10 munge sh -c 'munge -n </dev/null | unmunge' || fail "munge does not answer"
fi
pgrep -u munge -x munged >"$RUN/munged.pid" || true
say "munge up"

# ------------------------------------------------------------------ mariadb
install -d -o mysql -g mysql -m 755 /run/mysqld
if ! mariadb-admin ping >/dev/null 2>&1; then
    if [ ! -d /var/lib/mysql/mysql ]; then
        mariadb-install-db --user=mysql --datadir=/var/lib/mysql >"$LOG/mariadb-install.log" 2>&1 \
            || fail "mariadb-install-db failed; see $LOG/mariadb-install.log"
    fi
    setsid mariadbd --user=mysql --datadir=/var/lib/mysql --socket=/run/mysqld/mysqld.sock \
        --pid-file=/run/mysqld/mariadbd.pid --skip-networking=0 --bind-address=127.0.0.1 \
        >"$LOG/mariadbd.log" 2>&1 </dev/null &
    wait_for 60 mariadb mariadb-admin ping || fail "mariadbd did not answer within 60 s; see $LOG/mariadbd.log"
fi
[ -s /run/mysqld/mariadbd.pid ] && cp /run/mysqld/mariadbd.pid "$RUN/mariadbd.pid"
say "mariadb up"

DB_PASS_FILE=$STATE_DIR/db_password
if [ ! -s "$DB_PASS_FILE" ]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$DB_PASS_FILE")
fi
DB_PASS=$(cat "$DB_PASS_FILE")
mariadb <<SQL || fail "could not create the accounting database"
CREATE DATABASE IF NOT EXISTS $DB_NAME;
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
ALTER USER '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON $DB_NAME.* TO '$DB_USER'@'localhost';
FLUSH PRIVILEGES;
SQL

# ------------------------------------------------------------------ configs
HOST=$(hostname -s)
# the node's real CPUs and memory, as slurmd itself sees them
NODE_LINE=$(slurmd -C | head -n 1)
[[ $NODE_LINE == NodeName=* ]] || fail "'slurmd -C' gave no node description: $NODE_LINE"
NODE_HW=$(echo "$NODE_LINE" | tr ' ' '\n' | grep -E '^(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore)=' | tr '\n' ' ')
REAL_MEMORY=$(echo "$NODE_LINE" | tr ' ' '\n' | sed -n 's/^RealMemory=//p')
# leave 5% to the daemons and the system, or the node drains as "low memory"
REAL_MEMORY=$((REAL_MEMORY * 95 / 100))
CPUS=$(echo "$NODE_LINE" | tr ' ' '\n' | sed -n 's/^CPUs=//p')

cat >"$CONF_DIR/slurmdbd.conf" <<EOF
$MARKER
DbdHost=localhost
SlurmUser=root
AuthType=auth/munge
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageLoc=$DB_NAME
StorageUser=$DB_USER
StoragePass=$DB_PASS
LogFile=$LOG/slurmdbd.log
PidFile=$RUN/slurmdbd.pid
EOF
chmod 600 "$CONF_DIR/slurmdbd.conf"

cat >"$CONF_DIR/slurm.conf" <<EOF
$MARKER
# one node ($HOST) that is controller and compute node at once
ClusterName=$CLUSTER
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
# cores and memory are consumable: jobs ask for --cpus-per-task and --mem
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
StateSaveLocation=$STATE_DIR/ctld
SlurmdSpoolDir=$STATE_DIR/d
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
ReturnToService=2
MinJobAge=300
# accounting through slurmdbd, as on a real cluster: sacct answers
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoreFlags=job_comment
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
NodeName=$HOST NodeAddr=127.0.0.1 $NODE_HW RealMemory=$REAL_MEMORY State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
# the daemons refuse to start without a cgroup.conf on some builds; harmless
[ -e "$CONF_DIR/cgroup.conf" ] || echo "$MARKER" >"$CONF_DIR/cgroup.conf"

# ------------------------------------------------------------------ slurmdbd
if ! running "$RUN/slurmdbd.pid"; then
    setsid slurmdbd -D >"$LOG/slurmdbd.out" 2>&1 </dev/null &
    echo $! >"$RUN/slurmdbd.pid"
fi
wait_for 60 slurmdbd sacctmgr -n list cluster \
    || fail "slurmdbd did not answer within 60 s; see $LOG/slurmdbd.log and $LOG/slurmdbd.out"
if ! sacctmgr -n -P list cluster format=cluster | grep -qx "$CLUSTER"; then
    sacctmgr -i add cluster "$CLUSTER" >/dev/null || fail "sacctmgr could not add cluster $CLUSTER"
fi
# an account for the user running jobs, so sacct reports one (as on real clusters)
if ! sacctmgr -n -P list account format=account | grep -qx ctc; then
    sacctmgr -i add account ctc Cluster="$CLUSTER" Description="ctc-profiler tests" >/dev/null
fi
USER_NAME=$(id -un)
if ! sacctmgr -n -P list user format=user | grep -qx "$USER_NAME"; then
    sacctmgr -i add user "$USER_NAME" Account=ctc DefaultAccount=ctc Cluster="$CLUSTER" >/dev/null
fi
say "slurmdbd up (cluster $CLUSTER)"

# ------------------------------------------------------------------ slurmctld, slurmd
if ! running "$RUN/slurmctld.pid"; then
    setsid slurmctld -D -i >"$LOG/slurmctld.out" 2>&1 </dev/null &
    echo $! >"$RUN/slurmctld.pid"
fi
wait_for 30 slurmctld scontrol ping || fail "slurmctld did not answer within 30 s; see $LOG/slurmctld.log"
if ! running "$RUN/slurmd.pid"; then
    setsid slurmd -D >"$LOG/slurmd.out" 2>&1 </dev/null &
    echo $! >"$RUN/slurmd.pid"
fi
if ! wait_for 30 node cluster_answers; then
    scontrol update nodename="$HOST" state=resume >/dev/null 2>&1 || true
    wait_for 10 node cluster_answers \
        || fail "node $HOST is not idle: $(sinfo -h -N -o '%N %T %E' 2>&1); see $LOG/slurmd.log"
fi
wait_for 30 sacct sacct -n -X --starttime now-1minute \
    || fail "sacct does not answer; see $LOG/slurmdbd.log"
say "cluster $CLUSTER up: node $HOST, $CPUS CPUs, $REAL_MEMORY MB"
sinfo
