"""A throw-away PostgreSQL server for the PostgreSQL-catalog tests: Debian's binaries, a data
directory under /tmp, started with pg_ctl and stopped by the PID pg_ctl recorded."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.servers import ports


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin directory (Debian layout), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def free_port(range_env: str = "CITYLAKE_TEST_PG_PORTS") -> int:
    """A free loopback port for a PostgreSQL server (benchmarks/servers/ports.py: in CITYLAKE_TEST_PG_PORTS's range, if set)."""
    return ports.free_port(range_env)


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class PgServer:
    bin: Path
    data: Path
    port: int

    def url(self, dbname: str = "postgres") -> str:
        """The DuckLake catalog URL citylake takes (CITYLAKE_CATALOG_URL)."""
        return f"postgres:dbname={dbname} host=127.0.0.1 port={self.port} user=postgres"

    def sqlalchemy_url(self, dbname: str) -> str:
        """The same database as Airflow's metadata URL takes it (CITYLAKE_AIRFLOW_DB_URL)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def createdb(self, name: str) -> str:
        subprocess.run(_as_postgres([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                                     "-U", "postgres", name]), check=True)
        return self.url(name)

    def pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().splitlines()[0])

    def stop(self) -> None:
        pid = self.pid()
        done = subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                                            "-w", "stop"]), capture_output=True)
        if done.returncode != 0:
            os.kill(pid, signal.SIGTERM)


def start() -> PgServer:
    """initdb + pg_ctl start on a free loopback port; the caller stops it."""
    b = pg_bin()
    root = Path(tempfile.mkdtemp(prefix="citylake-pg-"))
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
    subprocess.run(_as_postgres([str(b / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                 "--no-sync"]), check=True, capture_output=True)
    port = free_port()
    subprocess.run(_as_postgres([str(b / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "server.log"),
                                 "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off",
                                 "start"]), check=True, capture_output=True)
    return PgServer(b, data, port)
