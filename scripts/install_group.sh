#!/usr/bin/env bash
# install_group.sh — the shared-server installation (make install GROUP_MODE=1,
# or make install-group; README "多人共用一台服务器", src/base/groupmode.h).
#
# After `make install` has put the program in DESTDIR/PREFIX/bin:
#   - the program: owner root, group TD_GROUP, mode 2755 (set-group-id);
#   - the state directory STATEDIR: root:TD_GROUP 2750 (clerks' processes may
#     open the files in it through the program, never create or remove any);
#   - SYSCONFDIR/talentdesk/talentdesk.conf (root, 0644): `db = STATEDIR/talentdesk.db`,
#     kept when it exists.
# Then, as root: `talentdesk init` makes the database 0660 and its key 0640
# for the group.  Clerks must NOT be members of TD_GROUP.
# Run as another user it installs nothing more and prints what root must do.
set -euo pipefail
: "${PREFIX:=/usr/local}" "${SYSCONFDIR:=$PREFIX/etc}" "${STATEDIR:=/var/lib/talentdesk}" "${TD_GROUP:=talentdesk}"
DESTDIR=${DESTDIR:-}
bin=$DESTDIR$PREFIX/bin/talentdesk
conf=$DESTDIR$SYSCONFDIR/talentdesk/talentdesk.conf
state=$DESTDIR$STATEDIR

steps() {
  cat <<TXT
  # 以 root 身份执行 / as root:
  getent group $TD_GROUP >/dev/null || groupadd --system $TD_GROUP
  chown root:$TD_GROUP $bin && chmod 2755 $bin
  install -d -o root -g $TD_GROUP -m 2750 $state
  install -d -m 0755 $DESTDIR$SYSCONFDIR/talentdesk
  printf 'db = %s\n' $STATEDIR/talentdesk.db > $conf && chmod 0644 $conf
TXT
}

if [ "$(id -u)" != 0 ]; then
  echo "install-group: not root: the shared-server mode needs root to set the group and set-group-id bit."
  echo "install-group: 需要 root 权限。请以 root 执行以下命令（或 sudo make install GROUP_MODE=1）："
  steps
  exit 0
fi
[ -x "$bin" ] || { echo "install-group: $bin is not installed (run make install first)" >&2; exit 1; }
if ! getent group "$TD_GROUP" >/dev/null; then
  if [ -n "$DESTDIR" ]; then
    echo "install-group: group $TD_GROUP does not exist on this machine; create it (groupadd --system $TD_GROUP)" >&2
    exit 1
  fi
  groupadd --system "$TD_GROUP"
  echo "install-group: created the system group $TD_GROUP"
fi
chown "root:$TD_GROUP" "$bin"
chmod 2755 "$bin"
install -d -o root -g "$TD_GROUP" -m 2750 "$state"
install -d -o root -g root -m 0755 "$DESTDIR$SYSCONFDIR/talentdesk"
if [ ! -e "$conf" ]; then
  tmp=$(mktemp "$conf.XXXXXX")
  printf '# TalentDesk shared-server installation (see man talentdesk, README)\n# group = %s\ndb = %s\n' \
    "$TD_GROUP" "$STATEDIR/talentdesk.db" >"$tmp"
  chmod 0644 "$tmp"
  mv "$tmp" "$conf"
fi
cat <<TXT
install-group: done: $bin (root:$TD_GROUP 2755), $state (root:$TD_GROUP 2750), $conf
install-group: 下一步 / next, as root:
  talentdesk init                                   # 数据库 0660、密钥 0640，属组 $TD_GROUP
  talentdesk user add wangfang --name 王芳 --roles clerk --unix-user wangfang
  # 窗口人员的 Unix 账户不得加入 $TD_GROUP 组；他们经 SSH 登录后直接运行 talentdesk
  # clerks' Unix accounts must not be members of $TD_GROUP; over SSH they just run talentdesk
TXT
