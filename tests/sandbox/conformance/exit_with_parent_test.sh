#!/usr/bin/env bash
# A test script killed by SIGKILL (no trap runs) must not leave its kube-sandbox behind: lib.sh's
# start_sandbox passes --exit-with-parent, so the kernel kills the sandbox with the script.
# usage: exit_with_parent_test.sh PATH_TO_kube-sandbox
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh" "$1"

# The "test script": starts a sandbox the usual way, reports the sandbox's pid and its work dir,
# then idles until killed.
bash -c 'source "$1/lib.sh" "$2"; start_sandbox --quiet
         echo "$sandbox_pid $work" >"$3.tmp"; mv "$3.tmp" "$3"
         while :; do sleep 0.2; done' script "$here" "$1" "$work/report" &
script_pid=$!
background_pid=$script_pid
log=/dev/null within 60 "the script's sandbox started" test -s "$work/report"
read -r sandbox inner_work <"$work/report"
kill -0 "$sandbox" || fail "the sandbox $sandbox is not running"

kill -KILL "$script_pid"
wait "$script_pid" 2>/dev/null || true
background_pid=""
# Gone, or a zombie waiting for whichever process reaps orphans here.
gone() { [[ ! -e /proc/$sandbox/stat ]] || [[ $(awk '{print $3}' "/proc/$sandbox/stat") == Z ]]; }
deadline=$((SECONDS + 60))
until gone; do
  if ((SECONDS >= deadline)); then
    kill -KILL "$sandbox" 2>/dev/null
    fail "kube-sandbox $sandbox outlived the script that started it (SIGKILL)"
  fi
  sleep 0.1
done
rm -rf "$inner_work"  # what the killed script's trap would have removed
echo "PASS: a SIGKILLed script's sandbox exited with it"
