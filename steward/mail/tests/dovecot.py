"""A throwaway Dovecot IMAP server on loopback for tests (Debian's dovecot-imapd)."""

import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from steward.core.testing import free_port, service_missing

CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
first_valid_gid = 1
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


class Dovecot:
    def __init__(self):
        # Its own folder under /tmp: pytest's tmp folders are private to root, and Dovecot drops privileges.
        self.root = Path(tempfile.mkdtemp(prefix="steward-dovecot-"))
        self.port = free_port()
        self.process = None
        self.users = {}

    def start(self, users: dict[str, str]):
        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not os.path.exists(binary):
            service_missing("Dovecot is not installed (apt-get install -y dovecot-imapd, or run ./scripts/test as root)")
        self.users = users
        for sub in ("run", "state", "mail"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        (self.root / "users").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in users.items()))
        if os.geteuid() == 0:
            # Root may not own mail; Dovecot's own unprivileged users run the server and hold the mail.
            account = pwd.getpwnam("dovecot")
            internal, login, group = "dovecot", "dovenull", "dovecot"
            uid, gid = account.pw_uid, account.pw_gid
            os.chown(self.root / "mail", uid, gid)
            os.chmod(self.root, 0o755)
        else:
            account = pwd.getpwuid(os.getuid())
            internal = login = account.pw_name
            group = account.pw_name
            uid, gid = account.pw_uid, account.pw_gid
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(root=self.root, port=self.port, uid=uid, gid=gid, internal=internal, login=login, group=group)
        )
        self.process = subprocess.Popen([binary, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Dovecot exited: {self.process.stdout.read().decode()} {self.log()}")
            try:
                self.connect(next(iter(users))).logout()
                return self
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.1)
        raise RuntimeError(f"Dovecot did not answer on port {self.port}: {self.log()}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def connect(self, user: str) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(user, self.users[user])
        return conn

    def append(self, user: str, raw: bytes, folder: str = "INBOX", flags: str = "") -> None:
        """Deliver a message the way a mail server would leave it: unseen in the folder."""
        conn = self.connect(user)
        try:
            status, data = conn.append(folder, flags or None, None, raw)
            assert status == "OK", data
        finally:
            conn.logout()

    def flags(self, user: str, folder: str = "INBOX") -> dict[bytes, bool]:
        """{Message-ID header: seen?} for every message left in the folder."""
        conn = self.connect(user)
        try:
            conn.select(folder, readonly=True)
            _, data = conn.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
            found = {}
            for item in data:
                if isinstance(item, tuple):
                    message_id = item[1].split(b":", 1)[-1].strip()
                    found[message_id] = b"\\Seen" in item[0]
            return found
        finally:
            conn.logout()
