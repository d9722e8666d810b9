#!/usr/bin/env bash
# Stop the daemons tests/slurm/start_cluster.sh started, by their PID files.
set -uo pipefail
STATE_DIR=${CTC_SLURM_STATE:-/var/lib/ctc-slurm}
RUN=$STATE_DIR/run
for daemon in slurmd slurmctld slurmdbd mariadbd munged; do
    pidfile=$RUN/$daemon.pid
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" && echo "stopped $daemon ($pid)"
        for _ in $(seq 1 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
    fi
    rm -f "$pidfile"
done
