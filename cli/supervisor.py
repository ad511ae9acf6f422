"""The supervisor process of ``codereuse serve --workers N``: uvicorn's, and nothing else.

`cli.serve_command.serve` checks the settings (store and search backend open), then replaces
its own process image with this module (``os.execv``, same pid, same terminal and signals).
Only uvicorn is imported here: the supervisor binds the socket, spawns the workers (each
builds its app through `cli.serve_command.worker_app`) and replaces a worker that dies. The
process that checked the settings had imported the whole command line and app (about 100 MB)
that a supervisor never uses; after the exec it holds about a quarter of that.
"""

from __future__ import annotations

import contextlib
import sys

WORKER_APP = "cli.serve_command:worker_app"
WORKER_HEALTHCHECK_SECONDS = 30
"""How long a worker may take to answer the supervisor's health check before it is killed and
replaced (uvicorn's default is 5 s). A new worker answers only once its interpreter has started
and imported uvicorn; on a loaded machine that took longer than 5 s, so workers were killed
while starting, and a worker killed under load drops the requests it holds."""


def supervise(host: str, port: int, workers: int, log_level: str) -> None:
    """Serve `WORKER_APP` in `workers` processes on host:port until Ctrl-C or SIGTERM."""
    import uvicorn

    # uvicorn re-raises the Ctrl-C it handled; stopping is what the user asked for
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(
            WORKER_APP,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            proxy_headers=False,
            server_header=False,
            access_log=False,  # as `cli.serve_command.serve_http`: no line per request
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        )


def arguments(host: str, port: int, workers: int, log_level: str) -> list[str]:
    """The command line that runs `supervise` with these values in a fresh interpreter
    (``-P``: a `cli` folder in the working directory is not imported instead of ours)."""
    return [sys.executable, "-P", "-m", "cli.supervisor", host, str(port), str(workers), log_level]


if __name__ == "__main__":
    host, port, workers, log_level = sys.argv[1:5]
    supervise(host, int(port), int(workers), log_level)
