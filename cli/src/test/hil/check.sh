# Sourced by the QEMU suites' guest scripts (cli/src/test/hil/*.sh), after they set R ($NICUP_RESULTS).
# check NAME CMD...: runs CMD with its stdout and stderr in $R/check-NAME.out and its exit code in
# $R/check-NAME.rc, the two files the host tests read, and prints "check NAME rc=N" for the console log.
check() {
    local name=$1
    shift
    "$@" >"$R/check-$name.out" 2>&1
    echo $? >"$R/check-$name.rc"
    echo "check $name rc=$(cat "$R/check-$name.rc")"
}
