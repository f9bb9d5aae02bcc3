# tests/lib/session.sh — sign-in for shell tests (sourced, not run).
#
#   source "$(dirname "$0")/lib/session.sh"
#   "$bin" --db "$db" init --demo >/dev/null
#   td_login_demo_users "$bin" "$db"       # every demo user signed in; admin is current
#
# or, for a database without demo data:
#   td_init "$bin" "$db" [init options]    # init with TD_TEST_PASSWORD for admin, admin signed in
#   td_user_add "$bin" "$db" NAME --name … --roles …   # user add, first sign-in (password changed)
#   td_login "$bin" "$db" NAME [PASSWORD]
#
# After that, `--user NAME` selects NAME's session and a command without
# --user acts as the user who signed in last.  Sessions live under
# $XDG_RUNTIME_DIR, which these functions point into the database's
# directory (the test's temp dir) unless the test set TD_TEST_RUNTIME.
TD_DEMO_PASSWORD=talentdesk-demo
TD_TEST_PASSWORD=test-password-1
TD_DEMO_USERS="clerk1 clerk2 reviewer1 approver1 approver2 signer_rsj signer_kjj spec1 station1 admin"

td_session_env() { # DB
  local run=${TD_TEST_RUNTIME:-$(cd "$(dirname "$1")" && pwd)/run}
  mkdir -p "$run" && chmod 700 "$run"
  export XDG_RUNTIME_DIR=$run
}

td_login() { # BIN DB USER [PASSWORD]
  td_session_env "$2"
  printf '%s\n' "${4:-$TD_TEST_PASSWORD}" | "$1" --db "$2" -q login "$3" --password-stdin
}

td_login_demo_users() { # BIN DB
  local u
  for u in $TD_DEMO_USERS; do
    td_login "$1" "$2" "$u" "$TD_DEMO_PASSWORD" || return 1
  done
}

td_init() { # BIN DB [init options...]
  local bin=$1 db=$2
  shift 2
  td_session_env "$db"
  printf '%s\n' "$TD_TEST_PASSWORD" | "$bin" --db "$db" init --admin-password-stdin "$@" &&
    td_login "$bin" "$db" admin
}

td_user_add() { # BIN DB NAME user-add-options... (as the current user, an admin)
  local bin=$1 db=$2 name=$3
  shift 3
  printf '%s\n' first-password-1 | "$bin" --db "$db" user add "$name" "$@" --password-stdin >/dev/null &&
    printf 'first-password-1\n%s\n' "$TD_TEST_PASSWORD" |
      "$bin" --db "$db" -q login "$name" --password-stdin &&
    td_login "$bin" "$db" admin
}
